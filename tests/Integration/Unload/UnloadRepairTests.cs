using System.Text.Json;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// <c>sfpg verify</c> and <c>sfpg repair</c>, as a user runs them, on a table loaded through unloaded files: verify
/// names the ranges that lost, changed or gained rows afterwards, repair re-loads exactly those ranges (through the
/// SQL API, so nothing is written to the stage), and the target equals the source again by a fingerprint in SQL.
/// </summary>
[Trait("Category", "Fault")]
public sealed class UnloadRepairTests
{
    private static readonly TimeSpan Wait = UnloadMigrateTests.Wait;

    // Six chunks of 1,000 ids each; checksums, so a row changed in place is seen too.
    private const string Tables = """
        [ { "source": "LEDGER", "target": "ledger", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "verify": "checksums" } ]
        """;

    [Fact]
    public async Task Verify_names_the_ranges_changed_after_an_unload_load_and_repair_reloads_them_without_touching_the_stage()
    {
        await using var unload = await UnloadMigrateTests.WithLedgerAsync();
        var env = unload.Environment;
        var config = unload.ConfigFile(Tables);
        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile);
        exitCode.Should().Be(0, output + error);
        var filesAfterLoad = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files WHERE deleted_at IS NOT NULL");
        filesAfterLoad.Should().BeGreaterThan(0, "the load went through the stage");
        (await Sfpg(unload, "verify", "--config", config)).ExitCode.Should().Be(0, "the load left the target equal");

        await env.TargetSql("""
            DELETE FROM ledger WHERE id BETWEEN 1500 AND 1509;
            UPDATE ledger SET amount = amount + 0.001 WHERE id = 3500;
            INSERT INTO ledger SELECT g, 0, 'extra', NULL FROM generate_series(10001, 10005) g;
            """);

        var verify = await Sfpg(unload, "verify", "--config", config);

        verify.ExitCode.Should().Be(1, verify.Error);
        var table = verify.Json.EnumerateArray().Single();
        table.GetProperty("status").GetString().Should().Be("different");
        var ranges = table.GetProperty("differingRanges").EnumerateArray()
            .Select(r => $"{r.GetProperty("sourceRows").GetInt64()}/{r.GetProperty("targetRows").GetInt64()}").ToList();
        ranges.Should().BeEquivalentTo(["1000/990", "1000/1000", "1000/1005"], "one range lost rows, one changed a row, the last gained rows");

        var repair = await Sfpg(unload, "repair", "--config", config, "--table", "ledger", "--delete-extra");

        repair.ExitCode.Should().Be(0, repair.Error);
        var repaired = repair.Json.EnumerateArray().Single();
        repaired.GetProperty("status").GetString().Should().Be("equal");
        repaired.GetProperty("rowsCopied").GetInt64().Should().Be(3000, "only the three differing ranges travelled");
        (await Sfpg(unload, "verify", "--config", config)).ExitCode.Should().Be(0);
        (await env.TargetFingerprint("ledger")).Should().Be(await env.SourceFingerprint("LEDGER"));
        var runId = repaired.GetProperty("runId").GetGuid();
        (await env.TargetScalar<string>($"SELECT run_kind || ' ' || status FROM migration_status.migration_runs WHERE run_id = '{runId}'"))
            .Should().Be("repair completed");
        (await env.TargetScalar<long>($"SELECT count(*) FROM migration_status.migration_unload_files WHERE run_id = '{runId}'"))
            .Should().Be(0, "the repair read the narrowed ranges through the SQL API");
        (await unload.BlobsAsync()).Should().BeEmpty("a repair leaves nothing in the stage");
    }

    private static async Task<(int ExitCode, JsonElement Json, string Error)> Sfpg(UnloadMigration unload, params string[] arguments)
    {
        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, [.. arguments, "--env-file", unload.EnvFile, "--json"]);
        exitCode.Should().BeLessThan(2, output + error);
        return (exitCode, JsonDocument.Parse(output).RootElement.Clone(), error);
    }
}
