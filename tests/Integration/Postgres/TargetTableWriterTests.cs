using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Integration.Postgres;

public sealed class TargetTableWriterTests : IAsyncLifetime
{
    private string _db = "";

    public async Task InitializeAsync() => _db = await PostgresServer.CreateDatabaseAsync("writer");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_db);
        await connection.OpenAsync();
        return connection;
    }

    private async Task Sql(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async IAsyncEnumerable<object?[]> Stream(params object?[][] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private async Task<TargetTableWriter> WriterAsync(string table, LoadMethod method, string[] sourceColumns, string[]? keys = null, string? watermark = null)
    {
        await using var connection = await OpenAsync();
        var columns = await TargetTableInspector.ColumnsAsync(connection, "public", table, CancellationToken.None);
        var conversions = sourceColumns.Select(n => ColumnConversion.For(columns.Single(c => c.Name == n))!).ToList();
        return new TargetTableWriter("public", table, method, conversions, Enumerable.Range(0, sourceColumns.Length).ToList(), keys ?? [], watermark);
    }

    private async Task<long> WriteInTransactionAsync(TargetTableWriter writer, IAsyncEnumerable<object?[]> rows, bool commit = true)
    {
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var checksum = await writer.WriteAsync(connection, rows, CancellationToken.None);
        if (commit)
        {
            await transaction.CommitAsync();
        }

        return checksum.Rows;
    }

    [Fact]
    public async Task Copy_writes_every_supported_type_and_null()
    {
        await Sql("""
            CREATE TABLE every_type ("Id" int8, "Small" int2, "Int" int4, "Amount" numeric(38,0), "Price" numeric(10,2), "Ratio" float8,
              "Flag" bool, "Name" varchar(20), "Key" uuid, "Blob" bytea, "Day" date, "At" time, "Local" timestamp, "Zoned" timestamptz, "Doc" jsonb)
            """);
        var writer = await WriterAsync("every_type", LoadMethod.Copy,
            ["Id", "Small", "Int", "Amount", "Price", "Ratio", "Flag", "Name", "Key", "Blob", "Day", "At", "Local", "Zoned", "Doc"]);
        var big = System.Numerics.BigInteger.Parse("99999999999999999999999999999999999999");

        var written = await WriteInTransactionAsync(writer, Stream(
            [1L, 7L, 2147483647L, big, 12.34m, 0.5, true, "Grüße 👋", "6f1d3c2e-5b8a-4d47-9a0e-2c7b1e4f8a53", new byte[] { 0xde, 0xad },
             new DateOnly(9999, 12, 31), new TimeOnly(23, 59, 59, 999), new DateTime(1970, 1, 1, 0, 0, 0, 1), new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)), "{\"a\": [1, 2]}"],
            [2L, null, null, null, null, null, null, null, null, null, null, null, null, null, null]));

        written.Should().Be(2);
        var rows = await RowsAsync("SELECT \"Amount\"::text, \"Name\", \"Key\"::text, \"Day\"::text, \"Zoned\" AT TIME ZONE 'UTC', \"Doc\"->'a'->>1, \"Blob\" FROM every_type ORDER BY \"Id\"");
        rows[0][..6].Should().Equal("99999999999999999999999999999999999999", "Grüße 👋", "6f1d3c2e-5b8a-4d47-9a0e-2c7b1e4f8a53", "9999-12-31", new DateTime(2024, 5, 1, 10, 0, 0), "2");
        ((byte[])rows[0][6]!).Should().Equal(0xde, 0xad);
        rows[1].Skip(1).Should().OnlyContain(v => v == null);
    }

    [Fact]
    public async Task A_value_that_cannot_convert_names_table_column_and_value_and_writes_nothing()
    {
        await Sql("CREATE TABLE strict (\"Id\" int4, \"Count\" int2)");
        var writer = await WriterAsync("strict", LoadMethod.Copy, ["Id", "Count"]);

        var act = () => WriteInTransactionAsync(writer, Stream([1L, 5L], [2L, 70000L]));

        var error = (await act.Should().ThrowAsync<SfPgException>()).Which;
        error.Code.Should().Be("SFPG2101");
        error.Message.Should().Contain("public.strict").And.Contain("\"Count\"").And.Contain("'70000'");
        (await RowsAsync("SELECT * FROM strict")).Should().BeEmpty();
    }

    [Fact]
    public async Task Upsert_takes_newer_rows_and_keeps_rows_whose_watermark_is_older_or_equal()
    {
        await Sql("""
            CREATE TABLE customers ("Id" int4 PRIMARY KEY, "Name" text, "Updated" timestamp);
            INSERT INTO customers VALUES (1, 'old', '2024-01-01'), (2, 'current', '2024-06-01'), (3, 'same', '2024-03-01');
            """);
        var writer = await WriterAsync("customers", LoadMethod.Upsert, ["Id", "Name", "Updated"], ["Id"], "Updated");

        await WriteInTransactionAsync(writer, Stream(
            [1L, "newer", new DateTime(2024, 2, 1)],
            [2L, "older", new DateTime(2024, 1, 1)],
            [3L, "equal", new DateTime(2024, 3, 1)],
            [4L, "first", new DateTime(2024, 1, 1)],
            [4L, "second", new DateTime(2024, 4, 1)]));

        var rows = await RowsAsync("SELECT \"Id\", \"Name\" FROM customers ORDER BY \"Id\"");
        rows.Select(r => r[1]).Should().Equal("newer", "current", "same", "second");
    }

    [Fact]
    public async Task Insert_only_never_changes_existing_rows()
    {
        await Sql("""
            CREATE TABLE events ("Id" int4 PRIMARY KEY, "Payload" text);
            INSERT INTO events VALUES (1, 'kept');
            """);
        var writer = await WriterAsync("events", LoadMethod.InsertOnly, ["Id", "Payload"], ["Id"]);

        await WriteInTransactionAsync(writer, Stream([1L, "replaced?"], [2L, "added"]));

        (await RowsAsync("SELECT \"Payload\" FROM events ORDER BY \"Id\"")).Select(r => r[0]).Should().Equal("kept", "added");
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_the_table_as_it_was()
    {
        await Sql("CREATE TABLE rollback_me (\"Id\" int4 PRIMARY KEY, \"V\" text); INSERT INTO rollback_me VALUES (1, 'a')");
        var writer = await WriterAsync("rollback_me", LoadMethod.Upsert, ["Id", "V"], ["Id"]);

        await WriteInTransactionAsync(writer, Stream([1L, "b"], [2L, "c"]), commit: false);

        (await RowsAsync("SELECT \"V\" FROM rollback_me")).Should().ContainSingle().Which.Should().Equal("a");
    }

    [Fact]
    public async Task Checksums_do_not_depend_on_row_order()
    {
        await Sql("CREATE TABLE a (\"Id\" int4, \"V\" text); CREATE TABLE b (\"Id\" int4, \"V\" text)");
        var first = await WriterAsync("a", LoadMethod.Copy, ["Id", "V"]);
        var second = await WriterAsync("b", LoadMethod.Copy, ["Id", "V"]);

        await using var connection = await OpenAsync();
        var one = await first.WriteAsync(connection, Stream([1L, "x"], [2L, "y"], [3L, null]), CancellationToken.None);
        var other = await second.WriteAsync(connection, Stream([3L, null], [1L, "x"], [2L, "y"]), CancellationToken.None);
        var different = await second.WriteAsync(connection, Stream([3L, null], [1L, "x"], [2L, "z"]), CancellationToken.None);

        one.Value.Should().Be(other.Value);
        different.Value.Should().NotBe(one.Value);
    }
    [Fact]
    public async Task Decoded_rows_store_and_hash_exactly_what_their_values_do()
    {
        // Source columns in one order, target columns in another: the decoded path writes typed cells where it can,
        // the general path converts objects; PostgreSQL and the checksums must not tell them apart.
        SnowflakeColumn[] source =
        [
            Source("ID", "fixed", scale: 0), Source("AMOUNT", "fixed", scale: 2), Source("BIG", "fixed", scale: 0), Source("WIDE", "fixed", scale: 10),
            Source("R", "real"), Source("B", "boolean"), Source("S", "text"), Source("DT", "date"), Source("NTZ", "timestamp_ntz"),
            Source("LTZ", "timestamp_ltz"), Source("TZ", "timestamp_tz"), Source("BIN", "binary"), Source("V", "variant"),
        ];
        const string Partition = """
            [["1","12.50","99999999999999999999999999999999999999","1234567890123456789012345678.0123456789","NaN","true","plain","19782","1700000000.123456789","-1.0000001","1700000000.1234567 1500","00FF","[1,undefined]"],
             ["2","-0.01","-9223372036854775809","0.0000000001","-Infinity","false","esc \"q\" \u00e9 \n","-719162","-62135596800","253402300799.999999999","0.000000001 1440","","{}"],
             ["3","99999999.99","9223372036854775807","-1","-0","1","zürich ✓ 𝄞","2932896","0","0.0000001","-100.25 2220","AB","null"],
             ["4","0","-5","12.5","1.7976931348623157e308","0","ßßßßß","0","1.5","1700000000","1700000000 1440","00","\"x\""],
             [null,null,null,null,null,null,null,null,null,null,null,null,null]]
            """;
        await Sql("""
            CREATE TABLE decoded ("Tz" timestamptz, "Id" int8, "Small" int2, "Int" int4, "Amount" numeric(10,2), "Big" numeric(38,0), "Wide" numeric,
              "R" float8, "B" bool, "S" text, "Short" varchar(5), "Dt" date, "Ntz" timestamp, "Ltz" timestamptz, "TzLocal" timestamp, "AmountText" text,
              "NtzZoned" timestamptz, "LtzLocal" timestamp,
              "Bin" bytea, "V" jsonb);
            CREATE TABLE general (LIKE decoded)
            """);
        string[] targets = ["Tz", "Id", "Small", "Int", "Amount", "Big", "Wide", "R", "B", "S", "Short", "Dt", "Ntz", "Ltz", "TzLocal", "AmountText", "NtzZoned", "LtzLocal", "Bin", "V"];
        int[] from = [10, 0, 0, 0, 1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 1, 8, 9, 11, 12];
        var bytes = System.Text.Encoding.UTF8.GetBytes(Partition);
        await using var connection = await OpenAsync();
        var columns = await TargetTableInspector.ColumnsAsync(connection, "public", "decoded", CancellationToken.None);
        var conversions = targets.Select(n => ColumnConversion.For(columns.Single(c => c.Name == n), allowLossy: true)!).ToList();

        var decoded = await new TargetTableWriter("public", "decoded", LoadMethod.Copy, conversions, from, [], null)
            .WriteAsync(connection, Decoded(Reader(bytes, source), source.Length), CancellationToken.None);
        var general = await new TargetTableWriter("public", "general", LoadMethod.Copy, conversions, from, [], null)
            .WriteAsync(connection, Stream([.. Values(Reader(bytes, source))]), CancellationToken.None);

        decoded.Rows.Should().Be(5);
        decoded.Value.Should().Be(general.Value);
        (await RowsAsync("SELECT count(*) FROM (SELECT * FROM decoded EXCEPT ALL SELECT * FROM general) d")).Single()[0].Should().Be(0L);
        (await RowsAsync("SELECT count(*) FROM (SELECT * FROM general EXCEPT ALL SELECT * FROM decoded) g")).Single()[0].Should().Be(0L);
        var stored = await RowsAsync("""SELECT "Big"::text, "Wide"::text, "R"::text, "S", "Ntz"::text, "TzLocal"::text FROM decoded WHERE "Id" = 1""");
        stored.Single().Should().Equal("99999999999999999999999999999999999999", "1234567890123456789012345678.0123456789", "NaN", "plain",
            "2023-11-14 22:13:20.123456", "2023-11-14 22:13:20.123456");
    }

    private static SnowflakeColumn Source(string name, string type, int? scale = null) => new()
    {
        Ordinal = 0, Name = name, Type = SnowflakeColumn.ParseType(type), TypeName = type, Precision = 38, Scale = scale,
    };

    private static SnowflakeRowReader Reader(byte[] partition, SnowflakeColumn[] columns) => new(
        partition, columns, columns.Select(SnowflakeValueDecoder.ForChars).ToArray(), columns.Select(SnowflakeValueDecoder.ForText).ToArray(), "01-test");

    private static async IAsyncEnumerable<SnowflakeRow> Decoded(SnowflakeRowReader reader, int columns)
    {
        var row = new SnowflakeRow(columns);
        while (reader.ReadRow(row))
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static IEnumerable<object?[]> Values(SnowflakeRowReader reader)
    {
        while (reader.ReadRow() is { } row)
        {
            yield return row;
        }
    }
}
