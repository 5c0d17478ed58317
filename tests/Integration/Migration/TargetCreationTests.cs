using SnowPgMigration.Emulator.Results;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// create_target builds the target from Snowflake's description by the type contract, and every contract row carries
/// its extremes across exactly (fingerprints computed in SQL on both sides); schema_evolution adds and widens columns.
/// </summary>
public sealed class TargetCreationTests
{
    private const string ContractSource = """
        CREATE TABLE "PUBLIC"."CONTRACT" (
            "ID" numeric(38,0) NOT NULL, "N38" numeric(38,0), "N38_10" numeric(38,10), "N10_2" numeric(10,2) NOT NULL,
            "F" double precision, "VC" varchar(20), "T" text, "B" bytea, "BO" boolean, "D" date, "TM" time,
            "NTZ" "TIMESTAMP_NTZ", "LTZ" "TIMESTAMP_LTZ", "TZ" "TIMESTAMP_TZ", "V" "VARIANT", "O" "OBJECT", "A" "ARRAY",
            "G" "GEOGRAPHY", "GM" "GEOMETRY", "VEC" "VECTOR_FLOAT_3", "VEC_I" "VECTOR_INT_3");
        INSERT INTO "PUBLIC"."CONTRACT" VALUES
          (1, 99999999999999999999999999999999999999, 9999999999999999999999999999.9999999999, 99999999.99,
           'Infinity', 'twenty characters ok', E'multi\nline ''quoted'' 世界', '\xdeadbeef00', true, '9999-12-31', '23:59:59.999999',
           '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00', '2026-10-09 12:34:56.123456789+07:00',
           '{"a":[1,{"b":null,"c":[[],{}]}],"n":12345678901234567890.5}', '{"k":"v","e":{}}', '[]',
           '{"type":"Point","coordinates":[-122.35,37.55]}', '{"type":"Point","coordinates":[3.000000000000000e+00,4.000000000000000e+00]}',
           '{1.5,-2.25,0.125}', '{2147483647,-2147483648,0}'),
          (2, -99999999999999999999999999999999999999, -0.0000000001, -99999999.99,
           '-Infinity', '', '', '\x', false, '1900-01-01', '00:00:00',
           '1900-01-01 00:00:00', '1900-01-01 00:00:00+00', '1900-01-01 00:00:00-05:30',
           '[1,"x",null]', '{}', '[[],[1,[2]]]',
           '{"type":"LineString","coordinates":[[0,0],[1,1]]}', '{"type":"GeometryCollection","geometries":[]}', '{16777216,-0.5,-1e6}', '{-1,1,2147483647}'),
          (3, 0, NULL, 0, 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (4, 1, 0.1, 0.01, 4.9406564584124654e-324, NULL, NULL, NULL, NULL, '1970-01-01', NULL, NULL, NULL,
           '2000-02-29 12:00:00.5+14:00', '"text"', NULL, '[null]', NULL, NULL, NULL, NULL),
          (5, 2, NULL, 1, -1.7976931348623157e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'null', NULL, NULL, NULL, NULL, NULL, NULL);
        """;

    private const string ContractTable = """
        [ { "source": "CONTRACT", "target": "Contract Table", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
            "uniqueness_columns": ["ID"], "create_target": true, "truncate_nanoseconds": true } ]
        """;

    // Both sides as comparable values: TIMESTAMP_TZ text truncated to microseconds (the opt-in).
    private const string SourceColumns = """
        "ID", "N38", "N38_10", "N10_2", "F", "VC", "T", "B", "BO", "D", "TM", "NTZ", "LTZ",
        regexp_replace("TZ", '(\.\d{6})\d+', '\1')::timestamptz, "V"::jsonb, "O"::jsonb, "A"::jsonb, "G"::jsonb, "GM"::jsonb, "VEC"::real[], "VEC_I"::integer[]
        """;

    private const string TargetColumns = """
        "ID", "N38", "N38_10", "N10_2", "F", "VC", "T", "B", "BO", "D", "TM", "NTZ", "LTZ", "TZ", "V", "O", "A", "G"::jsonb, "GM"::jsonb, "VEC", "VEC_I"
        """;

    private static async Task<MigrationEnvironment> StartWithDomainsAsync()
    {
        var env = await MigrationEnvironment.StartAsync();
        await env.Source(SnowflakeTypeDomains.CreateSql + SnowflakeTypeDomains.CreateVectorSql("FLOAT", 3) + SnowflakeTypeDomains.CreateVectorSql("INT", 3));
        return env;
    }

    [Fact]
    public async Task Every_contract_type_is_created_and_loaded_exactly()
    {
        await using var env = await StartWithDomainsAsync();
        await env.Source(ContractSource);

        var run = (await env.RunAsync(env.Config(ContractTable))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'public."Contract Table"'::regclass AND attnum > 0
            """)).Should().Be(
            "ID numeric(38,0) NOT NULL, N38 numeric(38,0), N38_10 numeric(38,10), N10_2 numeric(10,2) NOT NULL, F double precision, " +
            "VC character varying(20), T text, B bytea, BO boolean, D date, TM time(6) without time zone, " +
            "NTZ timestamp(6) without time zone, LTZ timestamp(6) with time zone, TZ timestamp(6) with time zone, " +
            "V jsonb, O jsonb, A jsonb, G text, GM text, VEC real[], VEC_I integer[]");
        (await env.TargetScalar<string>("""
            SELECT string_agg(a.attname, ',') FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = 'public."Contract Table"'::regclass AND i.indisprimary
            """)).Should().Be("ID");

        var source = await env.SourceFingerprint("CONTRACT", SourceColumns);
        source.Rows.Should().Be(5);
        (await env.TargetFingerprint("Contract Table", TargetColumns)).Should().Be(source);
        (await env.TargetScalar<string>("""SELECT "TZ"::text FROM public."Contract Table" WHERE "ID" = 1""")).Should().Be("2026-10-09 05:34:56.123456+00");
        (await env.TargetScalar<string>("""SELECT "N38"::text FROM public."Contract Table" WHERE "ID" = 2""")).Should().Be("-99999999999999999999999999999999999999");

        // Checksum verification agrees over every contract column, and sees one vector element change.
        var config = env.Config(ContractTable);
        using var client = SnowflakeClient.Create(config.Snowflake);
        var sourceConfig = config.Sources.Single();
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var verifier = new TableVerifier(new SnowflakeSource(client, sourceConfig.SourceSfDatabase, sourceConfig.SourceSfSchema, null, null), target);
        (await verifier.VerifyAsync(sourceConfig, sourceConfig.Tables.Single(), CancellationToken.None)).Matches.Should().BeTrue();
        await env.TargetSql("""UPDATE public."Contract Table" SET "VEC"[3] = 0.25 WHERE "ID" = 1""");
        (await verifier.VerifyAsync(sourceConfig, sourceConfig.Tables.Single(), CancellationToken.None)).Matches.Should().BeFalse();

        (await env.TargetScalar<bool>("""SELECT target_created FROM migration_status.migration_table_status WHERE table_name = 'Contract Table'""")).Should().BeTrue();
        (await env.TargetScalar<string>("""SELECT schema_changes FROM migration_status.migration_table_status WHERE table_name = 'Contract Table'"""))
            .Should().StartWith("CREATE SCHEMA IF NOT EXISTS \"public\";CREATE TABLE \"public\".\"Contract Table\" (").And.Contain("PRIMARY KEY (\"ID\")");
    }

    [Fact]
    public async Task Narrowings_are_refused_before_the_table_is_created_unless_opted_in()
    {
        await using var env = await StartWithDomainsAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."NARROW" ("ID" numeric(38,0) NOT NULL, "AMOUNT" numeric(10,2), "AT" "TIMESTAMP_NTZ");
            INSERT INTO "PUBLIC"."NARROW" VALUES (1, 12.5, '2026-01-01 00:00:00.123456'), (9223372036854775807, NULL, NULL);
            """);
        string Table(string extra) => $$"""
            [ { "source": "NARROW", "target": "narrow", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "create_target": true {{extra}} } ]
            """;

        var nanoseconds = (await env.RunAsync(env.Config(Table("")))).Runs.Single().Tables.Single();
        var integer = (await env.RunAsync(env.Config(Table(""", "truncate_nanoseconds": true, "column_types": { "AMOUNT": "integer" }""")))).Runs.Single().Tables.Single();

        nanoseconds.ErrorCode.Should().Be("SFPG2130");
        nanoseconds.Error.Should().Contain("public.narrow").And.Contain("column \"AT\" is TIMESTAMP_NTZ(9), timestamp(6) keeps 6 fraction digits");
        integer.ErrorCode.Should().Be("SFPG2110");
        integer.Error.Should().Contain("\"AMOUNT\": NUMBER(10,2) -> integer (drops the fraction digits)");
        (await env.TargetScalar<bool>("SELECT to_regclass('public.narrow') IS NULL")).Should().BeTrue();

        // A native integer is an explicit opt-in, still through the narrowing check: NUMBER(38,0) into bigint loads.
        var opted = (await env.RunAsync(env.Config(Table(""", "truncate_nanoseconds": true, "column_types": { "ID": "bigint" }""")))).Runs.Single();
        opted.Status.Should().Be(RunStatus.Completed, opted.Error);
        (await env.TargetScalar<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.narrow'::regclass AND attname = 'ID'")).Should().Be("bigint");
        (await env.TargetFingerprint("narrow")).Should().Be(await env.SourceFingerprint("NARROW", "\"ID\"::bigint, \"AMOUNT\", \"AT\"::timestamp"));
    }

    [Fact]
    public async Task Schema_evolution_adds_and_widens_columns_between_two_runs_and_records_them()
    {
        await using var env = await StartWithDomainsAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."GROWING" ("ID" numeric(38,0) NOT NULL, "NAME" varchar(10), "AMOUNT" numeric(10,2));
            INSERT INTO "PUBLIC"."GROWING" VALUES (1, 'short', 1.25), (2, NULL, -99999999.99);
            """);
        const string Table = """
            [ { "source": "GROWING", "target": "growing", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "truncate_onstart": true, "create_target": true, "schema_evolution": "widen" } ]
            """;
        var first = (await env.RunAsync(env.Config(Table))).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);

        await env.Source("""
            ALTER TABLE "PUBLIC"."GROWING" ADD COLUMN "NOTE" text, ALTER COLUMN "NAME" TYPE varchar(40), ALTER COLUMN "AMOUNT" TYPE numeric(20,4);
            INSERT INTO "PUBLIC"."GROWING" VALUES (3, 'a name much longer than ten', 1234567890123456.1234, 'added later');
            """);
        var second = (await env.RunAsync(env.Config(Table))).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetFingerprint("growing")).Should().Be(await env.SourceFingerprint("GROWING"));
        (await env.TargetScalar<string>("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'public.growing'::regclass AND attnum > 0
            """)).Should().Be("ID numeric(38,0), NAME character varying(40), AMOUNT numeric(20,4), NOTE text");
        (await env.TargetScalar<string>($"SELECT schema_evolution || ' ' || schema_changes FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'"))
            .Should().Be("widen ALTER TABLE \"public\".\"growing\" ADD COLUMN IF NOT EXISTS \"NOTE\" text;" +
                         "ALTER TABLE \"public\".\"growing\" ALTER COLUMN \"NAME\" TYPE varchar(40);" +
                         "ALTER TABLE \"public\".\"growing\" ALTER COLUMN \"AMOUNT\" TYPE numeric(20,4);");
        env.Events.OfType<SnowPgMigration.Engine.Reporting.LogEvent>().Select(e => e.Message)
            .Should().Contain(m => m.Contains("ran ALTER TABLE \"public\".\"growing\" ADD COLUMN IF NOT EXISTS \"NOTE\" text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_schema_evolution_a_new_source_column_is_skipped_as_before()
    {
        await using var env = await StartWithDomainsAsync();
        await env.Source("""CREATE TABLE "PUBLIC"."KEPT" ("ID" numeric(38,0), "NEW" text); INSERT INTO "PUBLIC"."KEPT" VALUES (1, 'x');""");
        await env.TargetSql("CREATE TABLE kept (\"ID\" numeric(38,0))");

        var run = (await env.RunAsync(env.Config("""[ { "source": "KEPT", "target": "kept", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "create_target": true } ]"""))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<long>("SELECT count(*) FROM pg_attribute WHERE attrelid = 'kept'::regclass AND attnum > 0")).Should().Be(1);
        env.Warnings().Should().Contain(w => w.Contains("\"NEW\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_and_sfpg_ddl_show_the_ddl_and_write_nothing()
    {
        await using var env = await StartWithDomainsAsync();
        await env.Source(ContractSource);
        var tables = ContractTable.Replace("\"Contract Table\"", "\"contract\"", StringComparison.Ordinal).Replace("\"create_target\": true", "\"create_target\": true, \"column_types\": { \"N38\": \"bigint\" }", StringComparison.Ordinal);

        var result = await env.RunAsync(env.Config(tables), new MigrationOptions { DryRun = true });
        var file = env.ConfigFile(tables);
        var cli = await SfpgProcess.RunAsync(TimeSpan.FromMinutes(2), "migrate", "--config", file, "--dry-run");
        var ddl = await SfpgProcess.RunAsync(TimeSpan.FromMinutes(2), "ddl", "--config", file, "--table", "contract");

        var plan = result.DryRun.Single();
        plan.Error.Should().BeNull();
        plan.LoadMethod.Should().Be("copy");
        plan.TargetDdl.Should().HaveCount(2);
        plan.TargetDdl[1].Should().StartWith("CREATE TABLE \"public\".\"contract\" (\n    \"ID\" numeric(38,0) NOT NULL,\n    \"N38\" bigint,")
            .And.EndWith("    \"VEC_I\" integer[],\n    PRIMARY KEY (\"ID\")\n)");
        cli.ExitCode.Should().Be(0, cli.Error);
        cli.Output.Should().Contain("ddl          CREATE TABLE \"public\".\"contract\" (").And.Contain("Dry run: nothing was written");
        ddl.ExitCode.Should().Be(0, ddl.Error);
        ddl.Output.Should().Contain("CREATE SCHEMA IF NOT EXISTS \"public\";").And.Contain(plan.TargetDdl[1] + ";");
        (await env.TargetScalar<bool>("SELECT to_regclass('public.contract') IS NULL")).Should().BeTrue();
        (await env.TargetScalar<bool>("SELECT to_regnamespace('migration_status') IS NULL")).Should().BeTrue();
    }

    [Fact]
    public async Task Keep_tz_offset_fills_a_companion_column_with_each_original_offset()
    {
        await using var env = await StartWithDomainsAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ZONED" ("ID" numeric(38,0) NOT NULL, "AT" "TIMESTAMP_TZ");
            INSERT INTO "PUBLIC"."ZONED" VALUES (1, '2026-10-09 12:34:56.123456+07:00'), (2, '1900-01-01 00:00:00-05:30'),
              (3, '2000-02-29 12:00:00+14:00'), (4, '2000-01-01 00:00:00-12:00'), (5, NULL);
            """);

        var run = (await env.RunAsync(env.Config("""
            [ { "source": "ZONED", "target": "zoned", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "create_target": true, "truncate_nanoseconds": true, "keep_tz_offset": true } ]
            """))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'public.zoned'::regclass AND attnum > 0
            """)).Should().Be("ID numeric(38,0), AT timestamp(6) with time zone, AT_offset smallint");
        // The instant and its offset give back the original wall clock, row for row.
        (await env.TargetFingerprint("zoned", """ "ID", to_char("AT" AT TIME ZONE 'UTC' + make_interval(mins => "AT_offset"), 'YYYY-MM-DD HH24:MI:SS.US') """))
            .Should().Be(await env.SourceFingerprint("ZONED", """ "ID", to_char(left("AT", length("AT") - 6)::timestamp, 'YYYY-MM-DD HH24:MI:SS.US') """));
        (await env.TargetColumn<short>("""SELECT "AT_offset" FROM zoned WHERE "AT_offset" IS NOT NULL ORDER BY "ID" """)).Should().Equal(420, -330, 840, -720);
    }
}
