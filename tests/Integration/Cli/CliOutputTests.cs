using System.Text.Json;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Cli;

/// <summary>
/// Everything a verb writes goes through the invocation's configured writers: results to Output, problems, log lines
/// and progress to Error. Durations are accepted as 30m / 12h / 7d, and --log-format json writes one object per line.
/// </summary>
public sealed class CliOutputTests
{
    private const string ItemsTable = """[ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    [Theory]
    [InlineData("migrate --max-duration 3x", "error SFPG4600: --max-duration is '3x', which is not a duration; write it like 30m, 12h or 7d, or as a number of minutes.")]
    [InlineData("migrate --resume-max-age 2w", "error SFPG4600: --resume-max-age is '2w', which is not a duration; write it like 30m, 12h or 7d, or as a number of hours.")]
    [InlineData("migrate --max-duration 31d", "error SFPG1051: --max-duration is 31d; it must be more than 0s and at most 30d.")]
    [InlineData("cleanup --older-than 40000d", "error SFPG1051: --older-than is 40000d; it must be between 0s and 36500d.")]
    [InlineData("chunks --stale --stale-after soon", "error SFPG4600: --stale-after is 'soon', which is not a duration; write it like 30m, 12h or 7d, or as a number of minutes.")]
    public async Task A_bad_duration_is_refused_on_the_error_writer_naming_the_option_and_value_before_anything_is_read(string arguments, string message)
    {
        var config = Path.Combine(Path.GetTempPath(), $"sfpg-never-read-{Guid.NewGuid():N}.json");

        var (exitCode, output, error) = await SfpgInProcess.RunAsync([.. arguments.Split(' '), "--config", config]);

        exitCode.Should().Be(2, error);
        error.Should().StartWith(message + Environment.NewLine).And.Contain("  fix: ");
        output.Should().BeEmpty();
        File.Exists(config).Should().BeFalse();
    }

    [Fact]
    public async Task A_migration_logs_json_lines_on_the_error_writer_and_its_summary_on_the_output_writer()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 2500) g;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint PRIMARY KEY, v text);");
        var config = env.ConfigFile(ItemsTable, batchSize: 500);

        var (exitCode, output, error) = await SfpgInProcess.RunAsync(
            "migrate", "--config", config, "--verbose", "--log-format", "json", "--max-duration", "2h", "--resume-max-age", "12h");

        exitCode.Should().Be(0, error);
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("ITEMS"));
        output.Should().MatchRegex(@"Run [0-9a-f-]{36} \(.+\): completed");
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Select(l => string.Join(",", l.EnumerateObject().Select(p => p.Name))).Distinct()
            .Should().Equal(["timestamp,level,event_id,event_name,category,message,properties"], "every line is one object of the same fields");
        lines.Should().Contain(l => l.GetProperty("message").GetString()!.StartsWith("Started run ", StringComparison.Ordinal));

        var commits = lines.Where(l => l.GetProperty("event_name").GetString() == "ChunkCommitted").ToList();
        commits.Should().NotBeEmpty().And.OnlyContain(l => l.GetProperty("event_id").GetInt32() == 4301 && l.GetProperty("level").GetString() == "verbose");
        commits.Sum(l => l.GetProperty("properties").GetProperty("Rows").GetInt64()).Should().Be(2500, "every committed row is in exactly one chunk's line");
        commits.Select(l => l.GetProperty("properties").GetProperty("ChunkId").GetInt32()).Should().OnlyHaveUniqueItems();
        lines.Should().Contain(l => l.GetProperty("event_id").GetInt32() == 4218
            && l.GetProperty("properties").GetProperty("Schema").GetString() == "public" && l.GetProperty("properties").GetProperty("Table").GetString() == "items");
        var done = lines.Where(l => l.GetProperty("event_name").GetString() == "Progress" && l.GetProperty("properties").GetProperty("Completed").GetBoolean()).ToList();
        done.Should().ContainSingle().Which.GetProperty("properties").GetProperty("RowsDone").GetInt64().Should().Be(2500);

        var runs = await SfpgInProcess.RunAsync("runs", "--config", config, "--json");
        runs.ExitCode.Should().Be(0, runs.Error);
        var listed = JsonDocument.Parse(runs.Output).RootElement.EnumerateArray().ToList();
        listed.Should().ContainSingle().Which.GetProperty("status").GetString().Should().Be("completed");
        runs.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task The_Snowflake_clients_429_retries_and_back_off_waits_show_in_the_default_text_log()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "429:every=2:retry-after=0:on=submit" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 1200) g;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint, v text);");
        var config = env.ConfigFile(ItemsTable, batchSize: 400);

        var (exitCode, output, error) = await SfpgInProcess.RunAsync("migrate", "--config", config);

        exitCode.Should().Be(0, error);
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("ITEMS"));
        env.Emulator.Faults.Describe().Should().ContainSingle().Which.Injected.Should().BeGreaterThan(0);
        var retries = error.Split(Environment.NewLine).Where(l => l.Contains("Snowflake request attempt", StringComparison.Ordinal)).ToList();
        retries.Should().HaveCountGreaterThanOrEqualTo((int)env.Emulator.Faults.Describe().Single().Injected, "every 429 the client rode out is one line")
            .And.OnlyContain(l => l.Contains("; retrying in ", StringComparison.Ordinal));
        output.Should().Contain(": completed");
    }
}
