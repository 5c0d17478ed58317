using System.Text.Json;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Verification;

/// <summary>
/// The integrity check against real PostgreSQL targets: each check's count and first keys, foreign keys declared in
/// the target (multi-column, NOT VALID) and relationships declared in the config, tables and columns it cannot read,
/// and <c>sfpg integrity</c>'s exit codes and JSON.
/// </summary>
public sealed class IntegrityTests
{
    private const string Customers = """{ "source": "CUSTOMERS", "target": "customers", "truncate_onstart": true }""";

    private static string Orders(string extra = "") =>
        $$"""{ "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id", "region"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at"{{extra}} }""";

    private static async Task<MigrationEnvironment> WithCleanTarget()
    {
        var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql("""
            CREATE TABLE customers (id bigint, country text, name text, PRIMARY KEY (id, country));
            INSERT INTO customers SELECT g, CASE WHEN g % 2 = 0 THEN 'EU' ELSE 'US' END, 'c' || g FROM generate_series(1, 50) g;
            CREATE TABLE orders (id bigint, region text, customer_id bigint, customer_country text, buyer bigint, updated_at timestamp,
                                 CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id, customer_country) REFERENCES customers (id, country));
            INSERT INTO orders SELECT g, 'r' || (g % 3), g % 50 + 1, CASE WHEN (g % 50 + 1) % 2 = 0 THEN 'EU' ELSE 'US' END, g % 50 + 1, timestamp '2024-01-01' + g * interval '1 minute'
            FROM generate_series(1, 1000) g;
            """);
        return env;
    }

    private static async Task<IReadOnlyList<IntegrityTableReport>> Check(MigrationEnvironment env, string tables, IntegrityOptions? options = null) =>
        await new IntegrityChecker(env.Config(tables), options ?? new IntegrityOptions()).CheckAsync(CancellationToken.None);

    private static IntegrityFinding Single(IReadOnlyList<IntegrityTableReport> reports, IntegrityCheck check, string table = "orders") =>
        reports.Single(r => r.Table == table).Findings.Single(f => f.Check == check);

    [Fact]
    public async Task A_clean_target_reports_every_check_of_every_table_with_nothing_found()
    {
        await using var env = await WithCleanTarget();

        var reports = await Check(env, $$"""[ {{Customers}}, {{Orders(""", "references": [ { "columns": ["buyer"], "table": "CUSTOMERS", "referenced_columns": ["id"], "name": "orders_buyer" } ]""")}} ]""");

        reports.Select(r => r.Table).Should().Equal("customers", "orders");
        reports.Should().OnlyContain(r => r.Error == null && !r.HasFindings);
        reports[0].Findings.Should().BeEmpty("a truncate_onstart table has no key or watermark, and customers declares no foreign key");
        reports[1].Findings.Select(f => (f.Check, f.Constraint, f.DeclaredIn)).Should().Equal(
            (IntegrityCheck.DuplicateKeys, null, null),
            (IntegrityCheck.NullKeys, null, null),
            (IntegrityCheck.NullWatermarks, null, null),
            (IntegrityCheck.OrphanedForeignKeys, "orders_customer_fk", "target"),
            (IntegrityCheck.OrphanedForeignKeys, "orders_buyer", "config"));
        reports[1].Findings.Should().OnlyContain(f => f.Count == 0 && f.SampleKeys.Count == 0);
        reports[1].Findings[3].Relationship.Should().Be("orders(customer_id, customer_country) -> customers(id, country)");
        reports[1].Findings[4].Relationship.Should().Be("orders(buyer) -> customers(id)");
    }

    [Fact]
    public async Task Duplicate_keys_count_every_row_sharing_a_key_and_sample_the_first_keys_in_key_order()
    {
        await using var env = await WithCleanTarget();
        await env.TargetSql("""
            INSERT INTO orders (id, region) VALUES (7, 'r1'), (7, 'r1'), (2, 'r2'), (2, 'r2 x'), (3, NULL), (3, NULL);
            INSERT INTO orders (id, region) SELECT g, 'r' || (g % 3) FROM generate_series(11, 16) g;
            """);

        var finding = Single(await Check(env, $"[ {Orders()} ]"), IntegrityCheck.DuplicateKeys);

        // (7, r1) three times; 11..16 twice each; (2, r2) is there once before; NULL keys are the NULL-key check's.
        finding.Count.Should().Be(3 + 6 * 2 + 2);
        finding.Columns.Should().Equal("id", "region");
        finding.SampleKeys.Should().Equal("(2, r2)", "(7, r1)", "(11, r2)", "(12, r0)", "(13, r1)");
    }

    [Fact]
    public async Task Null_keys_and_null_watermarks_are_counted_with_the_keys_of_the_first_rows()
    {
        await using var env = await WithCleanTarget();
        await env.TargetSql("""
            INSERT INTO orders (id, region, updated_at) VALUES (NULL, 'r1', now()), (5000, NULL, now()), (NULL, NULL, now());
            UPDATE orders SET updated_at = NULL WHERE id IN (10, 20, 30) OR id IS NULL AND region IS NULL;
            """);

        var reports = await Check(env, $"[ {Orders()} ]");

        var nullKeys = Single(reports, IntegrityCheck.NullKeys);
        nullKeys.Count.Should().Be(3);
        nullKeys.SampleKeys.Should().Equal("(5000, NULL)", "(NULL, r1)", "(NULL, NULL)");
        var nullWatermarks = Single(reports, IntegrityCheck.NullWatermarks);
        nullWatermarks.Count.Should().Be(4);
        nullWatermarks.Columns.Should().Equal("updated_at");
        nullWatermarks.SampleKeys.Should().Equal("(10, r1)", "(20, r2)", "(30, r0)", "(NULL, NULL)");
        Single(reports, IntegrityCheck.DuplicateKeys).Count.Should().Be(0);
    }

    [Fact]
    public async Task Orphans_of_a_declared_multi_column_foreign_key_are_found_even_when_the_constraint_was_not_validated()
    {
        await using var env = await WithCleanTarget();
        // As a load with the constraint dropped leaves it: orphans in the table, the key added back NOT VALID.
        await env.TargetSql("""
            ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
            INSERT INTO orders (id, region, customer_id, customer_country, updated_at) VALUES
                (2001, 'r1', 2, 'US', now()), (2002, 'r1', 2, 'US', now()), (2003, 'r1', 999, 'EU', now()), (2004, 'r1', 999, NULL, now());
            ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id, customer_country) REFERENCES customers (id, country) NOT VALID;
            """);

        var finding = Single(await Check(env, $"[ {Orders()} ]"), IntegrityCheck.OrphanedForeignKeys);

        finding.Count.Should().Be(3, "a row with a NULL foreign key column references nothing (MATCH SIMPLE)");
        finding.SampleKeys.Should().Equal("(2, US)", "(999, EU)");
        finding.Constraint.Should().Be("orders_customer_fk");
        finding.DeclaredIn.Should().Be("target");
        finding.Columns.Should().Equal("customer_id", "customer_country");
    }

    [Fact]
    public async Task Orphans_of_a_relationship_declared_in_the_config_are_found_with_the_referenced_key_defaulted()
    {
        await using var env = await WithCleanTarget();
        await env.TargetSql("""
            CREATE TABLE regions (code text PRIMARY KEY);
            INSERT INTO regions VALUES ('r0'), ('r1');
            """);
        const string regions = """{ "source": "REGIONS", "target": "regions", "chunking_columns": ["CODE"], "chunking_column_types": ["varchar"], "uniqueness_columns": ["code"], "insert_only_mode": true }""";

        var reports = await Check(env, $$"""[ {{regions}}, {{Orders(""", "references": [ { "columns": ["region"], "table": "regions" } ]""")}} ]""", new IntegrityOptions { Table = "ORDERS" });

        reports.Should().ContainSingle();
        var finding = reports[0].Findings.Single(f => f.DeclaredIn == "config");
        finding.Count.Should().Be(333, "one order in three is in region r2");
        finding.SampleKeys.Should().Equal("r2");
        finding.Constraint.Should().Be("sources[0].tables[1].references[0]", "an unnamed relationship is named by its place in the config");
        finding.Relationship.Should().Be("orders(region) -> regions(code)");
    }

    [Fact]
    public async Task A_missing_table_or_column_is_an_error_of_that_table_and_the_others_are_still_checked()
    {
        await using var env = await WithCleanTarget();
        const string missing = """{ "source": "GONE", "target": "gone", "truncate_onstart": true }""";
        const string badColumn = """{ "source": "CUSTOMERS", "target": "customers", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["ID"], "insert_only_mode": true }""";

        var reports = await Check(env, $"[ {missing}, {badColumn}, {Orders()} ]");

        reports[0].Error!.Code.Should().Be("SFPG4450");
        reports[0].Error!.Message.Should().Contain("public.gone").And.Contain("source test").And.Contain(env.Target);
        reports[1].Error!.Code.Should().Be("SFPG4451");
        reports[1].Error!.Message.Should().Contain("'ID' (uniqueness_columns)").And.Contain("public.customers").And.Contain("did you mean 'id'?");
        reports[2].Error.Should().BeNull();
        reports[2].Findings.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_relationship_over_columns_PostgreSQL_cannot_compare_is_an_error_naming_it()
    {
        await using var env = await WithCleanTarget();
        const string customers = """{ "source": "CUSTOMERS", "target": "customers", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id", "country"], "insert_only_mode": true }""";

        var reports = await Check(env, $$"""[ {{customers}}, {{Orders(""", "references": [ { "columns": ["region", "customer_id"], "table": "customers", "name": "orders_region" } ]""")}} ]""");

        reports[0].Error.Should().BeNull();
        var error = reports[1].Error!;
        error.Code.Should().Be("SFPG4453");
        error.Message.Should().Contain("orders_region").And.Contain("orders(region, customer_id) -> customers(id, country)").And.Contain("declared in the config");
    }

    [Fact]
    public async Task Sfpg_integrity_exits_0_when_clean_1_with_findings_and_2_on_bad_input_and_prints_camel_case_json()
    {
        await using var env = await WithCleanTarget();
        var config = env.ConfigFile($"[ {Customers}, {Orders()} ]");
        var timeout = TimeSpan.FromSeconds(60);

        var clean = await SfpgProcess.RunAsync(timeout, "integrity", "--config", config);
        clean.ExitCode.Should().Be(0, clean.Error);
        clean.Output.Should().Contain("sample_keys").And.Contain("orphaned_foreign_keys").And.Contain("orders_customer_fk");

        await env.TargetSql("INSERT INTO orders (id, region) VALUES (1, 'r1')");
        var found = await SfpgProcess.RunAsync(timeout, "integrity", "--config", config, "--table", "orders", "--json");
        found.ExitCode.Should().Be(1, found.Error);
        using var json = JsonDocument.Parse(found.Output);
        var duplicates = json.RootElement.EnumerateArray().Single(e => e.GetProperty("check").GetString() == "duplicate_keys");
        duplicates.GetProperty("table").GetString().Should().Be("orders");
        duplicates.GetProperty("count").GetInt64().Should().Be(2);
        duplicates.GetProperty("sampleKeys").EnumerateArray().Select(k => k.GetString()).Should().Equal("(1, r1)");
        duplicates.GetProperty("source").GetString().Should().Be("test");

        var unknown = await SfpgProcess.RunAsync(timeout, "integrity", "--config", config, "--table", "invoices");
        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().Contain("SFPG4452").And.Contain("'invoices'");
    }
}
