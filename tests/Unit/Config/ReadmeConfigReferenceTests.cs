using System.Text.RegularExpressions;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>The README's config reference names exactly the keys the loader accepts.</summary>
public sealed partial class ReadmeConfigReferenceTests
{
    [Fact]
    public void Every_accepted_key_is_documented_and_every_documented_key_is_accepted()
    {
        var readme = File.ReadAllText(RepositoryFiles.Path("README.md"));
        var start = readme.IndexOf("## Config reference", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README has a config reference section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..end];

        var documented = section.Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 3 && cells[1] is "root" or "snowflake" or "postgres" or "source" or "table")
            .SelectMany(cells => BacktickedName().Matches(cells[2]).Select(m => (Block: cells[1], Key: m.Groups[1].Value)))
            .ToHashSet();

        var accepted = ConfigKeys.Root.Select(k => (Block: "root", Key: k))
            .Concat(ConfigKeys.Snowflake.Select(k => (Block: "snowflake", Key: k)))
            .Concat(ConfigKeys.Postgres.Select(k => (Block: "postgres", Key: k)))
            .Concat(ConfigKeys.Source.Select(k => (Block: "source", Key: k)))
            .Concat(ConfigKeys.Table.Select(k => (Block: "table", Key: k)))
            .ToHashSet();

        documented.Except(accepted).Should().BeEmpty("the README documents only keys the loader accepts");
        accepted.Except(documented).Should().BeEmpty("every key the loader accepts is documented in the README");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex BacktickedName();
}
