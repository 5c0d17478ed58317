using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>Values arrive exactly: 38-digit numbers digit for digit, floats bit for bit, narrowing reported.</summary>
public sealed class ExactValueTests
{
    private const string Tables = """[ { "source": "EXACT", "target": "exact", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    [Fact]
    public async Task Numbers_of_38_digits_and_floats_arrive_digit_for_digit()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."EXACT" ("ID" bigint, "BIG" numeric(38,0), "SCALED" numeric(38,10), "F" double precision);
            INSERT INTO "PUBLIC"."EXACT" VALUES
              (1, 99999999999999999999999999999999999999, 9999999999999999999999999999.9999999999, 0.1),
              (2, -99999999999999999999999999999999999999, -9999999999999999999999999999.9999999999, -1.7976931348623157e308),
              (3, 12345678901234567890123456789012345678, 1234567890123456789012345678.1234567891, 4.9406564584124654e-324),
              (4, -79228162514264337593543950336, 0.0000000001, 2.2250738585072014e-308),
              (5, 0, -0.0000000001, 'NaN'), (6, 1, 79228162514264337593.5439503350, '-Infinity'),
              (7, NULL, NULL, 0.30000000000000004),
              (8, 10000000000000000000000000000000000000, 1000000000000000000000000000.0000000001, '-0'),
              (9, -1, -1000000000000000000000000000.0000100000, 'Infinity');
            """);
        await env.TargetSql("CREATE TABLE exact (id bigint, big numeric(38,0), scaled numeric(38,10), f double precision)");

        var run = (await env.RunAsync(env.Config(Tables))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().RowsCopied.Should().Be(9);
        (await env.TargetFingerprint("exact")).Should().Be(await env.SourceFingerprint("EXACT"));
        (await env.TargetScalar<string>("SELECT scaled::text FROM exact WHERE id = 3")).Should().Be("1234567890123456789012345678.1234567891");

        // The exact checksum reads both sides digit for digit too: it agrees now, and sees a change in the 38th digit.
        var config = env.Config(Tables);
        using var client = SnowflakeClient.Create(config.Snowflake);
        var source = config.Sources.Single();
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var verifier = new TableVerifier(new SnowflakeSource(client, source.SourceSfDatabase, source.SourceSfSchema, null, null), target);
        (await verifier.VerifyAsync(source, source.Tables.Single(), CancellationToken.None)).Matches.Should().BeTrue();
        await env.TargetSql("UPDATE exact SET scaled = scaled + 0.0000000001 WHERE id = 3");
        (await verifier.VerifyAsync(source, source.Tables.Single(), CancellationToken.None)).Matches.Should().BeFalse();
    }

    private const string NarrowSource = """
        CREATE TABLE "PUBLIC"."EXACT" ("ID" bigint, "AMOUNT" numeric(38,3), "RATIO" double precision, "NAME" varchar(40));
        INSERT INTO "PUBLIC"."EXACT" VALUES (1, 12345.675, 0.1, 'a name longer than ten'), (2, -0.005, 0.123456789012, 'short'),
          (3, 99999999.994, 3.5, NULL), (4, NULL, NULL, 'exactly 10');
        """;

    [Fact]
    public async Task A_narrower_target_is_refused_at_planning_and_left_untouched()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(NarrowSource);
        await env.TargetSql("""
            CREATE TABLE exact (id bigint, amount numeric(10,2), ratio real, name varchar(10));
            INSERT INTO exact VALUES (42, 1.25, 2.5, 'kept');
            """);
        var before = await env.TargetFingerprint("exact");

        var run = (await env.RunAsync(env.Config("""
            [ { "source": "EXACT", "target": "exact", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true } ]
            """))).Runs.Single();

        run.Status.Should().Be(RunStatus.Failed);
        var table = run.Tables.Single();
        table.ErrorCode.Should().Be("SFPG2110");
        table.Error.Should().Contain("public.exact")
            .And.Contain("\"amount\": NUMBER(38,3) -> numeric(10,2)")
            .And.Contain("\"ratio\": FLOAT -> real")
            .And.Contain("\"name\": VARCHAR(40) -> character varying(10)");
        (await env.TargetFingerprint("exact")).Should().Be(before, "nothing is written (not even truncated) when planning refuses");
    }

    [Fact]
    public async Task Lossy_conversion_when_allowed_rounds_as_postgres_does_warns_per_column_and_says_so_in_the_verdict()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(NarrowSource);
        await env.TargetSql("CREATE TABLE exact (id bigint, amount numeric(10,2), ratio real, name varchar(10))");

        var run = (await env.RunAsync(env.Config("""
            [ { "source": "EXACT", "target": "exact", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "allow_lossy_conversion": true } ]
            """))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().Verification.Should().Contain("lossy conversion allowed");
        env.Warnings().Where(w => w.Contains("lossy conversion allowed", StringComparison.Ordinal)).Should().HaveCount(3);
        (await env.TargetFingerprint("exact")).Should().Be(await env.SourceFingerprint(
            "EXACT", "\"ID\", round(\"AMOUNT\", 2)::numeric(10,2), \"RATIO\"::real, left(\"NAME\", 10)::varchar(10)"));
    }

    [Theory]
    [InlineData("numeric(38,0)", "numeric(5,0)", "123456", "123456")]
    [InlineData("text", "varchar(5)", "'abcdefgh'", "abcdefgh")]
    public async Task A_value_that_does_not_fit_fails_naming_table_column_and_value(string sourceType, string targetType, string literal, string shown)
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source($"""
            CREATE TABLE "PUBLIC"."EXACT" ("ID" bigint, "V" {sourceType});
            INSERT INTO "PUBLIC"."EXACT" VALUES (1, NULL), (2, {literal});
            """);
        await env.TargetSql($"CREATE TABLE exact (id bigint, v {targetType})");

        var run = (await env.RunAsync(env.Config(Tables, maxRetryAttempts: 1))).Runs.Single();

        run.Status.Should().NotBe(RunStatus.Completed);
        var table = run.Tables.Single();
        table.Status.Should().NotBe(ProgressStatus.Completed);
        table.Status.Should().Be(ProgressStatus.Failed);
        table.Error.Should().Contain("SFPG2111").And.Contain("allow_lossy_conversion").And.Contain("public.exact").And.Contain("\"v\"").And.Contain(shown);
        (await env.TargetScalar<long>("SELECT count(*) FROM exact")).Should().Be(0);
    }

    [Fact]
    public async Task The_watermark_pre_filter_selects_the_same_rows_whatever_the_accounts_time_zone()
    {
        // The account's sessions run in New York time unless a request says otherwise.
        await using var env = await MigrationEnvironment.StartAsync(o => o with { TimeZone = "America/New_York" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."EVENTS" ("ID" bigint, "NAME" text, "UPDATED_AT" timestamptz);
            INSERT INTO "PUBLIC"."EVENTS" SELECT g, 'v1', timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute' FROM generate_series(1, 200) g;
            """);
        await env.TargetSql("CREATE TABLE events (id bigint PRIMARY KEY, name text, updated_at timestamp)");
        var config = env.Config("""
            [ { "source": "EVENTS", "target": "events", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at" } ]
            """);
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);

        // Newer than the target's newest (03:20 UTC) by less than New York's offset from UTC.
        await env.Source("""
            UPDATE "PUBLIC"."EVENTS" SET "NAME" = 'changed', "UPDATED_AT" = timestamptz '2024-01-01 05:00:00+00' WHERE "ID" = 5;
            INSERT INTO "PUBLIC"."EVENTS" VALUES (201, 'new', timestamptz '2024-01-01 04:00:00+00');
            """);
        var second = (await env.RunAsync(config)).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetScalar<string>("SELECT name FROM events WHERE id = 5")).Should().Be("changed");
        (await env.TargetFingerprint("events")).Should().Be(
            await env.SourceFingerprint("EVENTS", "\"ID\", \"NAME\", \"UPDATED_AT\" AT TIME ZONE 'UTC'"));
        env.Emulator.Stats.QueryTags.Keys.Should().Contain($"sfpg run {second.RunId:D} events");
    }
}
