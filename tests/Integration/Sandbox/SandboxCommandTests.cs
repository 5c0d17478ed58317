using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
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
                output.Should().MatchRegex($"(?m)^{Regex.Escape(table)} .* yes \\([0-9a-f]{{16}}\\)$", $"table {table} must be verified");
            }

            output.Should().MatchRegex("Run [0-9a-f-]{36}: completed", "both runs complete");
            (output + error).Should().Contain("ran CREATE TABLE \"analytics\".\"shipments\"", "the sandbox creates one target table from Snowflake's description");
            error.Should().Contain("\"Legacy Code\" have no target column", "a skipped source column is reported once");
            File.ReadAllText(Path.Combine(folder, "config.json")).Should().Contain("\"source_name\": \"sandbox\"", "the config used is left for the user to read");
            output.Should().NotContain("Azurite", "the sandbox needs neither Azurite nor Node.js unless asked for --unload");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_sandbox_with_unload_loads_the_full_loads_through_Azurite_verifies_every_table_and_leaves_no_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sfpg-sandbox-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (exit, output, error) = await SfpgProcess.RunSandboxAsync(TimeSpan.FromMinutes(4), "sandbox", "--unload", "--scale", "0.05", "--dir", folder, "--threads", "2");

            exit.Should().Be(0, $"every table must verify equal; output:\n{output}\n{error}");
            output.Should().Contain("Every table verified equal.");
            var unloadedRows = 0L;
            foreach (var (table, extract) in new[]
            {
                ("orders", "unload"), ("events", "sql_api"), ("payers", "unload"), ("Payer Contacts", "unload"), ("all_types", "unload"),
                ("shipments", "sql_api"), ("2: customers", "sql_api"),
            })
            {
                var row = Regex.Match(output, $"(?m)^{Regex.Escape(table)} +\\S+ +(?<extract>\\S+) +(?:copy|upsert) +\\d+ +(?<rows>[\\d,]+) +[\\d,]+  yes \\([0-9a-f]{{16}}\\)$");
                row.Success.Should().BeTrue($"table {table} must be verified; output:\n{output}");
                row.Groups["extract"].Value.Should().Be(extract, $"{table} is extracted by {extract}");
                if (extract == "unload")
                {
                    unloadedRows += long.Parse(row.Groups["rows"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                }
            }

            var stage = Regex.Match(output, @"Stage azure://\S+ \(Azurite\): (?<files>[\d,]+) files unloaded \((?<rows>[\d,]+) rows\), (?<loaded>[\d,]+) loaded, (?<deleted>[\d,]+) deleted after verification; (?<left>[\d,]+) files left in the stage\.");
            stage.Success.Should().BeTrue($"the sandbox reports its stage; output:\n{output}");
            var files = int.Parse(stage.Groups["files"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            files.Should().BeGreaterThanOrEqualTo(4, "each of the four unloaded tables wrote at least one file");
            stage.Groups["loaded"].Value.Should().Be(stage.Groups["files"].Value, "every unloaded file was loaded");
            stage.Groups["deleted"].Value.Should().Be(stage.Groups["files"].Value, "every file is deleted once its table is verified");
            stage.Groups["left"].Value.Should().Be("0", "Azurite, listed after the runs, holds no file under the stage prefix");
            long.Parse(stage.Groups["rows"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture).Should().Be(unloadedRows, "the files held exactly the rows of the unloaded tables");

            var sas = Regex.Match(File.ReadAllText(Path.Combine(folder, "config.json")), "\"sas_token\": \"(?<sas>[^\"]+)\"").Groups["sas"].Value;
            sas.Should().Contain("sig=", "the config the sandbox writes carries the stage's SAS");
            (output + error).Should().NotContain(sas[sas.IndexOf("sig=", StringComparison.Ordinal)..], "the SAS is a secret");

            var port = int.Parse(Regex.Match(output, @"on http://127\.0\.0\.1:(?<port>\d+)/devstoreaccount1").Groups["port"].Value, CultureInfo.InvariantCulture);
            using var probe = new TcpClient();
            var connect = async () => await probe.ConnectAsync(IPAddress.Loopback, port);
            await connect.Should().ThrowAsync<SocketException>("the sandbox stops Azurite when it ends");
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
