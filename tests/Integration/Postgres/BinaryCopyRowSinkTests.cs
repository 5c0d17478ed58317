using System.Numerics;
using FluentAssertions;
using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Tests.Integration.Infrastructure;

namespace SnowPgMigration.Tests.Integration.Postgres;

/// <summary>
/// The hand-encoded binary COPY must store exactly what Npgsql's importer stores: the same rows go
/// through both into identical tables, and PostgreSQL compares them.
/// </summary>
public sealed class BinaryCopyRowSinkTests : IAsyncLifetime
{
    private const string Columns = """
        id int4, i2 int2, i8 int8, n numeric, n10 numeric(38,10), r real, d double precision, b boolean,
        t text, v varchar(10), u uuid, by bytea, dt date, tm time, ts timestamp, tz timestamptz, j json, jb jsonb
        """;

    private static readonly NpgsqlDbType[] Types =
    [
        NpgsqlDbType.Integer, NpgsqlDbType.Smallint, NpgsqlDbType.Bigint, NpgsqlDbType.Numeric, NpgsqlDbType.Numeric,
        NpgsqlDbType.Real, NpgsqlDbType.Double, NpgsqlDbType.Boolean, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Uuid,
        NpgsqlDbType.Bytea, NpgsqlDbType.Date, NpgsqlDbType.Time, NpgsqlDbType.Timestamp, NpgsqlDbType.TimestampTz,
        NpgsqlDbType.Json, NpgsqlDbType.Jsonb,
    ];

    private static readonly object?[][] Rows =
    [
        [1, (short)-7, 9_000_000_000L, 12.50m, 0.0000000001m, 1.5f, 0.1, true, "customer 1", "code", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            new byte[] { 0, 1, 0xFE, 0xFF }, new DateOnly(2026, 10, 9), new TimeSpan(0, 12, 34, 56, 123).Add(TimeSpan.FromTicks(4567)),
            new DateTime(2026, 10, 9, 12, 34, 56, DateTimeKind.Unspecified).AddTicks(1234567), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc),
            """{"a": [1, 2.50, null]}""", """{"b": {"c": "d"}, "a": 1}"""],
        [2, short.MinValue, long.MinValue, -0.0001m, -1234567890123456789.123456789m, float.MaxValue, double.NaN, false, "héllo ✓ 𝄞 \"quoted\"", "",
            Guid.Empty, Array.Empty<byte>(), DateOnly.MinValue, TimeSpan.Zero, DateTime.MaxValue,
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_995), "[]", "null"],
        [3, short.MaxValue, long.MaxValue, decimal.MaxValue, 0m, float.Epsilon, double.NegativeInfinity, true, "x", "0123456789",
            Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), new byte[] { 7 }, DateOnly.MaxValue, new TimeSpan(0, 23, 59, 59, 999).Add(TimeSpan.FromTicks(9999)),
            DateTime.MinValue, new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-3), "1", "\"text\""],
        [4, null, null, BigInteger.Pow(10, 40) + 1, ExactDecimal.Parse("-1234567890123456789012345678.0123456789"), null, null, null, null, null,
            null, null, null, null, null, null, null, null],
        [5, (short)0, 0L, ExactDecimal.Parse("0.00000000000000000000000000000000001"), -0.5m, -0.0f, -0.0, false, "", "a",
            Guid.Parse("00000000-0000-0000-0000-000000000001"), new byte[300], new DateOnly(2000, 1, 1), new TimeSpan(1),
            new DateTime(2000, 1, 1), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), "{}", "{}"],
        [6, (short)1, 1L, 99999999999999.9999m, 1234567890123456789012345678m, -1e-30f, double.Epsilon, true, new string('x', 100_000), "ß",
            Guid.NewGuid(), Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray(), new DateOnly(1, 1, 1).AddDays(1), TimeSpan.FromHours(1),
            new DateTime(1, 1, 1).AddTicks(10), new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc), "\"\\u00e9\"", "[1, \"2\", [3]]"],
        [7, null, null, 7 - (3 * BigInteger.Pow(10, 300)), ExactDecimal.Parse("0.0000000001"), null, null, null, null, null,
            null, null, null, null, null, null, null, null],
        // Either side of the largest mantissa that, padded to whole groups of four fraction digits, still fits 64 bits.
        [8, null, null, 1844674407370955.1m, 1844674407370955.2m, null, null, null, null, null,
            null, null, null, null, null, null, null, null],
        [9, null, null, -1844674407370955.2m, -922337203685477.5808m, null, null, null, null, null,
            null, null, null, null, null, null, null, null],
    ];

    private NpgsqlDataSource _target = null!;

    public async Task InitializeAsync()
    {
        _target = TargetConnection.CreateDataSource(await PostgresServer.CreateDatabaseAsync("rawcopy"));
        await using var command = _target.CreateCommand($"CREATE TABLE encoded ({Columns}); CREATE TABLE imported ({Columns})");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public void Only_scalar_types_are_encoded_by_hand()
    {
        Types.Should().OnlyContain(t => BinaryCopyRowSink.Supports(t));
        BinaryCopyRowSink.Supports(NpgsqlDbType.Array | NpgsqlDbType.Double).Should().BeFalse();
    }

    [Fact]
    public async Task Every_type_and_edge_value_is_stored_as_the_importer_stores_it()
    {
        await using (var connection = await _target.OpenConnectionAsync())
        {
            await WriteAsync(await BinaryCopyRowSink.BeginAsync(connection, Copy("encoded"), Types.Length, CancellationToken.None));
            await WriteAsync(await ImporterCopyRowSink.BeginAsync(connection, Copy("imported"), CancellationToken.None));
        }

        // Compared as PostgreSQL's text of every column (jsonb and json included), row by row, in both directions.
        (await ScalarAsync("SELECT count(*) FROM encoded")).Should().Be((long)Rows.Length);
        (await ScalarAsync("SELECT string_agg(r, E'\n') FROM (SELECT e::text r FROM encoded e EXCEPT ALL SELECT i::text FROM imported i) d")).Should().Be(DBNull.Value);
        (await ScalarAsync("SELECT string_agg(r, E'\n') FROM (SELECT i::text r FROM imported i EXCEPT ALL SELECT e::text FROM encoded e) d")).Should().Be(DBNull.Value);
        (await ScalarAsync("SELECT md5(string_agg(e::text, '|' ORDER BY id)) FROM encoded e"))
            .Should().Be(await ScalarAsync("SELECT md5(string_agg(i::text, '|' ORDER BY id)) FROM imported i"));

        // A few of them spelled out, so agreement is not agreement on something wrong.
        (await ScalarAsync("SELECT n::text || ' ' || n10::text || ' ' || ts::text || ' ' || dt::text FROM encoded WHERE id = 2"))
            .Should().Be("-0.0001 -1234567890123456789.1234567890 9999-12-31 23:59:59.999999 0001-01-01");
        (await ScalarAsync("SELECT n::text || ' ' || n10::text FROM encoded WHERE id = 4"))
            .Should().Be("10000000000000000000000000000000000000001 -1234567890123456789012345678.0123456789");
        (await ScalarAsync("SELECT n::text || ' ' || ts::text || ' ' || length(t)::text FROM encoded WHERE id = 6"))
            .Should().Be("99999999999999.9999 0001-01-01 00:00:00.000001 100000");
        (await ScalarAsync("SELECT t || ' ' || jb::text FROM encoded WHERE id = 2")).Should().Be("héllo ✓ 𝄞 \"quoted\" null");
        (await ScalarAsync("SELECT n::text FROM encoded WHERE id = 7")).Should().Be("-2" + new string('9', 299) + "3");
    }

    [Fact]
    public async Task A_copy_left_incomplete_stores_nothing()
    {
        await using var connection = await _target.OpenConnectionAsync();
        await using (var sink = await BinaryCopyRowSink.BeginAsync(connection, Copy("encoded"), Types.Length, CancellationToken.None))
        {
            WriteRow(sink, Rows[0]);
        }

        (await ScalarAsync("SELECT count(*) FROM encoded")).Should().Be(0L);
    }

    private static string Copy(string table) => $"COPY {table} FROM STDIN (FORMAT BINARY)";

    private static async Task WriteAsync(ICopyRowSink sink)
    {
        await using (sink)
        {
            foreach (var row in Rows)
            {
                WriteRow(sink, row);
            }

            await sink.CompleteAsync(CancellationToken.None);
        }
    }

    private static void WriteRow(ICopyRowSink sink, object?[] row)
    {
        sink.StartRow();
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] is { } value)
            {
                sink.Write(value, Types[i]);
            }
            else
            {
                sink.WriteNull();
            }
        }
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _target.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
