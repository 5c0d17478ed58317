using System.Numerics;
using System.Security.Cryptography;
using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Integration.Snowflake;

/// <summary>The engine's SQL API client against the emulator over real HTTP, on real PostgreSQL.</summary>
public sealed class ClientAgainstEmulatorTests
{
    private static readonly SnowflakeClientOptions FastRetries = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        PollMaxDelay = TimeSpan.FromMilliseconds(100),
    };

    private sealed class Harness : IAsyncDisposable
    {
        public required EmulatorHost Emulator { get; init; }
        public required string Database { get; init; }
        public required string ConnectionString { get; init; }

        public static async Task<Harness> StartAsync(Func<EmulatorOptions, EmulatorOptions>? configure = null)
        {
            var connectionString = await PostgresServer.CreateDatabaseAsync("client");
            var options = new EmulatorOptions { PostgresConnectionString = connectionString, PartitionRows = 100, AsyncThreshold = TimeSpan.FromMilliseconds(200) };
            var emulator = await EmulatorHost.StartAsync(configure?.Invoke(options) ?? options);
            return new Harness { Emulator = emulator, Database = new NpgsqlConnectionStringBuilder(connectionString).Database!, ConnectionString = connectionString };
        }

        public SnowflakeClient Client(string? rsaKeyPem = null, SnowflakeClientOptions? options = null) => SnowflakeClient.Create(
            new SnowflakeSettings
            {
                Account = "testorg-testaccount",
                User = "TESTER",
                RsaKey = rsaKeyPem,
                Token = rsaKeyPem is null ? "token" : null,
                Authenticator = rsaKeyPem is null ? "PROGRAMMATIC_ACCESS_TOKEN" : null,
                Host = Emulator.BaseUri.Host,
                Port = Emulator.BaseUri.Port,
                Scheme = "http",
            },
            options ?? FastRetries);

        public SnowflakeStatement Statement(string sql) => new(sql) { Database = Database, Schema = "public" };

        public async Task Sql(string sql)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async Task<List<object?[]>> RowsAsync(SnowflakeClient client, string sql, CancellationToken cancellationToken = default)
        {
            var result = await client.ExecuteAsync(Statement(sql), cancellationToken);
            var rows = new List<object?[]>();
            await foreach (var row in result.ReadRowsAsync(cancellationToken))
            {
                rows.Add(row);
            }

            return rows;
        }

        public ValueTask DisposeAsync() => Emulator.DisposeAsync();
    }

    [Fact]
    public async Task Every_type_round_trips_with_nulls_extremes_unicode_and_quoted_names()
    {
        await using var h = await Harness.StartAsync();
        await h.Sql("""
            CREATE TABLE "Mixed Case" ("Big Number" numeric(38,0), "Price" numeric(10,2), "Id" bigint, "Ratio" double precision, "Flag" boolean,
              "Näme" text, "Blob" bytea, "Day" date, "At" time(6), "Local" timestamp(6), "Zoned" timestamptz, "Doc" jsonb);
            INSERT INTO "Mixed Case" VALUES
              (99999999999999999999999999999999999999, -12.34, -9223372036854775808, -1.5e300, true, 'Grüße 👋 "quoted"', '\xdeadbeef',
               '1970-01-01', '23:59:59.123456', '1970-01-01 00:00:00.000001', '2024-05-01 12:00:00.5+02', '{"b": [1, 2], "a": "ü"}'),
              (-99999999999999999999999999999999999999, 0.01, 9223372036854775807, 0, false, '', '\x', '9999-12-31', '00:00:00', '9999-12-31 23:59:59.999999',
               '1969-12-31 23:59:59+00', '[]'),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);
        using var client = h.Client();

        var rows = await h.RowsAsync(client, "SELECT * FROM \"Mixed Case\" ORDER BY \"Id\" NULLS LAST");

        rows.Should().HaveCount(3);
        rows[0][..6].Should().Equal(
            BigInteger.Parse("99999999999999999999999999999999999999"), -12.34m, long.MinValue, -1.5e300, true, "Grüße 👋 \"quoted\"");
        ((byte[])rows[0][6]!).Should().Equal(0xde, 0xad, 0xbe, 0xef);
        rows[0][7..11].Should().Equal(
            new DateOnly(1970, 1, 1), new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(1_234_560)), new DateTime(1970, 1, 1, 0, 0, 0).AddTicks(10),
            new DateTimeOffset(2024, 5, 1, 10, 0, 0, 500, TimeSpan.Zero));
        rows[0][11].Should().BeOfType<string>().Which.Should().Contain("\"a\"").And.Contain("ü");
        rows[1][..5].Should().Equal(BigInteger.Parse("-99999999999999999999999999999999999999"), 0.01m, long.MaxValue, 0d, false);
        ((byte[])rows[1][6]!).Should().BeEmpty();
        rows[1][7].Should().Be(new DateOnly(9999, 12, 31));
        rows[1][9].Should().Be(new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990));
        rows[1][10].Should().Be(new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero));
        rows[2].Should().OnlyContain(v => v == null);
    }

    [Fact]
    public async Task Results_spanning_many_partitions_arrive_whole_and_in_order()
    {
        await using var h = await Harness.StartAsync();
        await h.Sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 1234) g");
        using var client = h.Client();

        var result = await client.ExecuteAsync(h.Statement("SELECT id, h FROM t ORDER BY id"));
        var ids = new List<long>();
        await foreach (var row in result.ReadRowsAsync())
        {
            ids.Add((long)row[0]!);
        }

        result.PartitionCount.Should().BeGreaterThanOrEqualTo(3);
        ids.Should().Equal(Enumerable.Range(1, 1234).Select(i => (long)i));
    }

    [Fact]
    public async Task A_slow_statement_answers_202_and_is_polled_to_its_result()
    {
        await using var h = await Harness.StartAsync();
        using var client = h.Client(options: FastRetries with { SubmitAsynchronously = false });

        var rows = await h.RowsAsync(client, "SELECT 42 AS answer FROM (SELECT pg_sleep(1)) AS s");

        rows.Should().ContainSingle().Which.Should().Equal(42L);
        h.Emulator.Stats.Snapshot().Should().NotBeNull();
    }

    [Theory]
    [InlineData("429:every=2:retry-after=0")]
    [InlineData("503:every=3")]
    [InlineData("cut:every=2:on=fetch")]
    [InlineData("slow:every=4:ms=1500")]
    public async Task Injected_faults_are_recovered_and_nothing_is_lost(string faults)
    {
        await using var h = await Harness.StartAsync(o => o with { Faults = faults });
        await h.Sql("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
        using var client = h.Client(options: FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(800) });

        var rows = await h.RowsAsync(client, "SELECT id FROM t ORDER BY id");

        rows.Select(r => (long)r[0]!).Should().Equal(Enumerable.Range(1, 1000).Select(i => (long)i));
        h.Emulator.Faults.Describe().Sum(f => f.Injected).Should().BeGreaterThan(0, "the fault must actually have fired");
    }

    [Fact]
    public async Task Cancelling_the_caller_cancels_the_statement_on_the_server()
    {
        await using var h = await Harness.StartAsync();
        using var client = h.Client();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var act = () => h.RowsAsync(client, "SELECT pg_sleep(60) AS marker_for_cancel_test", cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long running;
        do
        {
            await Task.Delay(200);
            await using var connection = new NpgsqlConnection(h.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%marker_for_cancel_test%' AND pid <> pg_backend_pid()", connection);
            running = (long)(await command.ExecuteScalarAsync())!;
        }
        while (running > 0 && DateTime.UtcNow < deadline);

        running.Should().Be(0, "the statement must be cancelled in PostgreSQL, not left running for 60 s");
    }

    [Fact]
    public async Task A_wrong_key_is_a_clear_authentication_error_without_secrets()
    {
        using var registered = RSA.Create(2048);
        using var other = RSA.Create(2048);
        await using var h = await Harness.StartAsync(o => o with { PublicKeyPems = [registered.ExportSubjectPublicKeyInfoPem()] });
        var wrongKey = other.ExportPkcs8PrivateKeyPem();
        using var client = h.Client(wrongKey);

        var act = () => h.RowsAsync(client, "SELECT 1");

        var error = (await act.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Code.Should().Be("SFPG3001");
        error.Error.Kind.Should().Be(SnowPgMigration.Engine.Errors.ErrorKind.Authentication);
        (error.Message + error.RecommendedAction).Should().Contain("rsa_key");
        error.ToString().Should().NotContain(wrongKey.Split('\n')[1], "the private key never appears in an error");

        using var rightClient = h.Client(registered.ExportPkcs8PrivateKeyPem());
        (await h.RowsAsync(rightClient, "SELECT 1 AS one")).Should().ContainSingle().Which.Should().Equal(1L);
    }

    [Fact]
    public async Task A_bad_statement_is_an_sfpg3xxx_error_with_snowflakes_code_state_and_handle()
    {
        await using var h = await Harness.StartAsync();
        using var client = h.Client();

        var act = () => h.RowsAsync(client, "SELECT * FROM \"NO_SUCH_TABLE\"");

        var error = (await act.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Code.Should().StartWith("SFPG3");
        error.SnowflakeCode.Should().Be("002003");
        error.SqlState.Should().Be("42S02");
        error.StatementHandle.Should().NotBeNullOrEmpty();
        error.Message.Should().Contain("NO_SUCH_TABLE");
    }
}
