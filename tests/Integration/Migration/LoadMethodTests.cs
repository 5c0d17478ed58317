using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>How rows arrive: full COPY, upsert by watermark, insert-only, truncate, mapped and skipped columns.</summary>
public sealed class LoadMethodTests
{
    [Fact]
    public async Task Every_supported_type_round_trips_exactly()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        const string Columns = """
            "ID" bigint, "I4" integer, "I2" smallint, "NUM" numeric(20,4), "F8" double precision, "F4" real, "FLAG" boolean,
            "TXT" text, "VC" varchar(40), "D" date, "T" time, "TS" timestamp, "TSTZ" timestamptz, "BIN" bytea
            """;
        await env.Source($"""
            CREATE TABLE "PUBLIC"."ALL_TYPES" ({Columns});
            INSERT INTO "PUBLIC"."ALL_TYPES"
            SELECT g, g * 7 - 100000, (g % 30000)::smallint, g * 1.2345 - 99999.9999, g / 7.0::float8, (g / 4.0)::real, g % 3 = 0,
                   'row ' || g || ' ünïcødé ''q'' "d" \ tab' || chr(9) || 'end', 'v' || g,
                   date '1999-12-31' + g, time '00:00:01' + g * interval '1 second', timestamp '2001-02-03 04:05:06.123456' + g * interval '1 minute',
                   timestamptz '2020-06-01 12:00:00+02' + g * interval '1 hour', decode(md5(g::text), 'hex')
            FROM generate_series(1, 3000) g;
            INSERT INTO "PUBLIC"."ALL_TYPES" VALUES (0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            INSERT INTO "PUBLIC"."ALL_TYPES" VALUES (-1, -2147483648, -32768, -9999999999999999.9999, -1.5e300, 3.25, false, '', '',
                   date '0001-01-01', time '23:59:59.999999', timestamp '1900-01-01 00:00:00', timestamptz '1970-01-01 00:00:00+00', '\x00ff'::bytea);
            """);
        // Snowflake has one FLOAT (double precision); a real target would be narrower and is refused at planning.
        await env.TargetSql($"CREATE TABLE all_types ({Columns.ToLowerInvariant().Replace("\"f4\" real", "\"f4\" double precision", StringComparison.Ordinal)})");
        var config = env.Config("""[ { "source": "ALL_TYPES", "target": "all_types", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""");

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().RowsCopied.Should().Be(3002);
        (await env.TargetFingerprint("all_types")).Should().Be(await env.SourceFingerprint("ALL_TYPES"));
    }

    [Fact]
    public async Task A_second_run_upserts_only_rows_with_a_newer_watermark()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text, "UPDATED_AT" timestamp);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'v1', timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(1, 2000) g;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint PRIMARY KEY, name text, updated_at timestamp)");
        var config = env.Config("""
            [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at" } ]
            """);
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        first.Tables.Single().LoadMethod.Should().Be("copy");

        // 1990: newer than the target's copy; 1995: same watermark, new name; 2000 (the newest row): older watermark;
        // 2001-2010: new rows.
        await env.Source("""
            UPDATE "PUBLIC"."ITEMS" SET "NAME" = 'newer', "UPDATED_AT" = timestamp '2024-02-01' WHERE "ID" = 1990;
            UPDATE "PUBLIC"."ITEMS" SET "NAME" = 'equal' WHERE "ID" = 1995;
            UPDATE "PUBLIC"."ITEMS" SET "NAME" = 'older', "UPDATED_AT" = timestamp '2023-01-01' WHERE "ID" = 2000;
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'new', timestamp '2024-03-01' + g * interval '1 second' FROM generate_series(2001, 2010) g;
            """);
        var second = (await env.RunAsync(config)).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        second.RunId.Should().NotBe(first.RunId);
        var table = second.Tables.Single();
        table.LoadMethod.Should().Be("upsert");
        table.RowsExpected.Should().BeLessThan(100, "only rows at or after the target's newest watermark are planned");
        (await env.TargetScalar<long>("SELECT count(*) FROM items")).Should().Be(2010);
        (await env.TargetScalar<string>("SELECT name FROM items WHERE id = 1990")).Should().Be("newer");
        (await env.TargetScalar<DateTime>("SELECT updated_at FROM items WHERE id = 1990")).Should().Be(new DateTime(2024, 2, 1));
        (await env.TargetScalar<string>("SELECT name FROM items WHERE id = 1995")).Should().Be("v1", "an equal watermark does not overwrite");
        (await env.TargetScalar<string>("SELECT name FROM items WHERE id = 2000")).Should().Be("v1", "an older watermark does not overwrite");
        (await env.TargetScalar<long>("SELECT count(*) FROM items WHERE name = 'new'")).Should().Be(10);
        (await env.TargetScalar<long>("SELECT count(*) FROM items WHERE name = 'v1'")).Should().Be(1999);
        (await env.TargetColumn<string>("SELECT status FROM migration_status.migration_runs ORDER BY started_at"))
            .Should().Equal("completed", "completed");
    }

    [Fact]
    public async Task The_watermark_pre_filter_plans_only_rows_newer_than_the_target()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."EVENTS" ("ID" bigint, "AT" timestamp);
            INSERT INTO "PUBLIC"."EVENTS" SELECT g, timestamp '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 5000) g;
            """);
        await env.TargetSql("""
            CREATE TABLE events (id bigint PRIMARY KEY, at timestamp);
            INSERT INTO events SELECT g, timestamp '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 4000) g;
            """);
        var config = env.Config("""
            [ { "source": "EVENTS", "target": "events", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "source_watermark": "AT", "target_watermark": "at" } ]
            """, batchSize: 200);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        var table = run.Tables.Single();
        table.LoadMethod.Should().Be("upsert");
        table.RowsExpected.Should().Be(1001, "rows 4000 (the target's newest, read again) to 5000");
        table.RowsCopied.Should().Be(1001);
        (await env.TargetColumn<string>("SELECT predicate FROM migration_status.migration_chunk_status"))
            .Should().OnlyContain(p => p.Contains("\"AT\" >=") && p.Contains("2024-01-03"));
        (await env.TargetFingerprint("events")).Should().Be(await env.SourceFingerprint("EVENTS"));
    }

    [Fact]
    public async Task Insert_only_mode_adds_new_keys_and_leaves_existing_rows_alone()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."KEYS" ("ID" bigint, "VAL" text);
            INSERT INTO "PUBLIC"."KEYS" SELECT g, 'source' FROM generate_series(1, 3000) g;
            """);
        await env.TargetSql("""
            CREATE TABLE keys (id bigint PRIMARY KEY, val text);
            INSERT INTO keys SELECT g, 'target' FROM generate_series(1, 1000) g;
            """);
        var config = env.Config("""
            [ { "source": "KEYS", "target": "keys", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "insert_only_mode": true } ]
            """);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().LoadMethod.Should().Be("insert_only");
        (await env.TargetScalar<long>("SELECT count(*) FROM keys")).Should().Be(3000);
        (await env.TargetScalar<long>("SELECT count(*) FROM keys WHERE val = 'target'")).Should().Be(1000);
        (await env.TargetScalar<long>("SELECT count(*) FROM keys WHERE val = 'source' AND id > 1000")).Should().Be(2000);
    }

    [Fact]
    public async Task Truncate_onstart_replaces_whatever_the_target_held()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."SNAP" ("ID" bigint, "VAL" text);
            INSERT INTO "PUBLIC"."SNAP" SELECT g, 's' || g FROM generate_series(1, 2500) g;
            """);
        await env.TargetSql("""
            CREATE TABLE snap (id bigint, val text);
            INSERT INTO snap SELECT g, 'stale' FROM generate_series(1, 4000) g;
            """);
        var config = env.Config("""[ { "source": "SNAP", "target": "snap", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true } ]""");

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().LoadMethod.Should().Be("copy");
        (await env.TargetScalar<long>("SELECT count(*) FROM snap WHERE val = 'stale'")).Should().Be(0);
        (await env.TargetFingerprint("snap")).Should().Be(await env.SourceFingerprint("SNAP"));
    }

    [Fact]
    public async Task Mapped_and_inferred_watermark_columns_land_in_their_targets_and_extra_source_columns_are_skipped_with_one_warning()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."CUSTOMERS" ("ID" bigint, "CUSTOMER_NAME" text, "UPDATED_TIMESTAMP" timestamp, "LEGACY_A" text, "LEGACY_B" int);
            INSERT INTO "PUBLIC"."CUSTOMERS" SELECT g, 'c' || g, timestamp '2024-05-01' + g * interval '1 second', 'a', g FROM generate_series(1, 1500) g;
            """);
        await env.TargetSql("""CREATE TABLE customers (id bigint PRIMARY KEY, "Customer" text, "Updated Datatimestamp" timestamp)""");
        var config = env.Config("""
            [ { "source": "CUSTOMERS", "target": "customers", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "source_watermark": "UPDATED_TIMESTAMP", "target_watermark": "Updated Datatimestamp",
                "column_mapping": { "CUSTOMER_NAME": "Customer" } } ]
            """);
        config.Sources[0].Tables[0].ColumnMapping.Should().Contain("UPDATED_TIMESTAMP", "Updated Datatimestamp");

        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        (await env.TargetFingerprint("customers")).Should().Be(await env.SourceFingerprint("CUSTOMERS", "\"ID\", \"CUSTOMER_NAME\", \"UPDATED_TIMESTAMP\""));
        var skipped = env.Warnings().Where(w => w.Contains("LEGACY_A")).ToList();
        skipped.Should().ContainSingle().Which.Should().Contain("LEGACY_B").And.Contain("not copied");

        // The inferred pair drives the upsert too: a newer source row replaces the target's.
        await env.Source("""UPDATE "PUBLIC"."CUSTOMERS" SET "CUSTOMER_NAME" = 'renamed', "UPDATED_TIMESTAMP" = timestamp '2025-01-01' WHERE "ID" = 1500""");
        var second = (await env.RunAsync(config)).Runs.Single();
        second.Status.Should().Be(RunStatus.Completed, second.Error);
        second.Tables.Single().LoadMethod.Should().Be("upsert");
        (await env.TargetScalar<string>("""SELECT "Customer" FROM customers WHERE id = 1500""")).Should().Be("renamed");
        (await env.TargetScalar<DateTime>("""SELECT "Updated Datatimestamp" FROM customers WHERE id = 1500""")).Should().Be(new DateTime(2025, 1, 1));
        (await env.TargetFingerprint("customers")).Should().Be(await env.SourceFingerprint("CUSTOMERS", "\"ID\", \"CUSTOMER_NAME\", \"UPDATED_TIMESTAMP\""));
    }

    [Fact]
    public async Task A_multi_table_source_loads_every_table_and_one_failing_table_does_not_stop_the_others()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."A" ("ID" bigint, "V" text);
            CREATE TABLE "PUBLIC"."B" ("ID" bigint, "V" text);
            CREATE TABLE "PUBLIC"."MISSING" ("ID" bigint);
            CREATE TABLE "PUBLIC"."C" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."A" SELECT g, 'a' FROM generate_series(1, 1200) g;
            INSERT INTO "PUBLIC"."B" SELECT g, 'b' FROM generate_series(1, 800) g;
            INSERT INTO "PUBLIC"."MISSING" SELECT g FROM generate_series(1, 10) g;
            INSERT INTO "PUBLIC"."C" SELECT g, 'c' FROM generate_series(1, 2100) g;
            """);
        await env.TargetSql("CREATE TABLE a (id bigint, v text); CREATE TABLE b (id bigint, v text); CREATE TABLE c (id bigint, v text);");
        var config = env.Config("""
            [ { "source": "A", "target": "a", "chunking_columns": ["ID"], "chunking_column_types": ["int"] },
              { "source": "B", "target": "b", "chunking_columns": ["ID"], "chunking_column_types": ["int"] },
              { "source": "MISSING", "target": "missing", "chunking_columns": ["ID"], "chunking_column_types": ["int"] },
              { "source": "C", "target": "c", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]
            """);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.CompletedWithErrors);
        run.Tables.Select(t => (t.Table, t.Status)).Should().Equal(
            ("a", ProgressStatus.Completed), ("b", ProgressStatus.Completed), ("missing", ProgressStatus.Failed), ("c", ProgressStatus.Completed));
        run.Tables.Single(t => t.Table == "missing").Error.Should().Contain("public.missing").And.Contain("does not exist");
        (await env.TargetFingerprint("a")).Should().Be(await env.SourceFingerprint("A"));
        (await env.TargetFingerprint("b")).Should().Be(await env.SourceFingerprint("B"));
        (await env.TargetFingerprint("c")).Should().Be(await env.SourceFingerprint("C"));
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed_with_errors");
        (await env.TargetScalar<string>("SELECT error FROM migration_status.migration_runs")).Should().Contain("missing");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_table_status WHERE table_name = 'missing'")).Should().Be("failed");
    }

    [Fact]
    public async Task A_value_that_cannot_convert_fails_its_chunk_naming_table_column_and_value_and_the_run_is_failed()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."RAW" ("ID" bigint, "QTY" text);
            INSERT INTO "PUBLIC"."RAW" SELECT g, g::text FROM generate_series(1, 2000) g;
            UPDATE "PUBLIC"."RAW" SET "QTY" = 'twelve-ish' WHERE "ID" = 1777;
            """);
        await env.TargetSql("CREATE TABLE raw (id bigint, qty integer)");
        var config = env.Config("""[ { "source": "RAW", "target": "raw", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""", batchSize: 500);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Failed);
        var table = run.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Failed);
        table.Error.Should().Contain("public.raw").And.Contain("\"qty\"").And.Contain("'twelve-ish'");
        var failed = await env.TargetColumn<int>("SELECT attempts FROM migration_status.migration_chunk_status WHERE status = 'failed'");
        failed.Should().Equal([1], "bad data fails the same way every time, so it is not retried");
        (await env.TargetScalar<string>("SELECT error FROM migration_status.migration_chunk_status WHERE status = 'failed'"))
            .Should().Contain("\"qty\"").And.Contain("twelve-ish");
        // The other chunks committed; the failed chunk's rows did not.
        (await env.TargetScalar<long>("SELECT count(*) FROM raw")).Should().Be(2000 - await env.TargetScalar<long>(
            "SELECT expected_rows FROM migration_status.migration_chunk_status WHERE status = 'failed'"));
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("failed");
    }
}
