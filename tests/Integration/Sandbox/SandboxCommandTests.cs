using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Sandbox;

/// <summary>The README's main command, run as a user runs it: the real sfpg-sandbox process, start to finish.</summary>
public sealed class SandboxCommandTests
{
    [Fact]
    public async Task The_sandbox_migrates_changes_and_verifies_every_table_and_exits_0()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sfpg-sandbox-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (exit, output, error) = await SfpgProcess.RunSandboxAsync(TimeSpan.FromMinutes(4), "sandbox", "--scale", "0.05", "--dir", folder, "--threads", "2");

            exit.Should().Be(0, $"every table must verify equal; output:\n{output}\n{error}");
            output.Should().Contain("Every table verified equal.");
            foreach (var table in new[] { "orders", "events", "payers", "Payer Contacts", "all_types", "shipments", "2: customers" })
            {
                output.Should().MatchRegex($"(?m)^{System.Text.RegularExpressions.Regex.Escape(table)} .* yes \\([0-9a-f]{{16}}\\)$", $"table {table} must be verified");
            }

            output.Should().MatchRegex("Run [0-9a-f-]{36}: completed", "both runs complete");
            (output + error).Should().Contain("ran CREATE TABLE \"analytics\".\"shipments\"", "the sandbox creates one target table from Snowflake's description");
            error.Should().Contain("\"Legacy Code\" have no target column", "a skipped source column is reported once");
            File.ReadAllText(Path.Combine(folder, "config.json")).Should().Contain("\"source_name\": \"sandbox\"", "the config used is left for the user to read");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
