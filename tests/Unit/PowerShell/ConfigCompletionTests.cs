using System.Collections;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.Tests.Unit.Config;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>-Source and -Table complete from the config file named on the same command line, even a half-written one.</summary>
public sealed class ConfigCompletionTests
{
    private const string Config = """
        // comments and trailing commas, as in real configs; the variables need not be set
        {
          "postgres": { "password": "${UNSET}" },
          "sources": [
            { "source_name": "analytics", "tables": [ { "target": "dimpayer" }, { "target": "fact visit" }, { "source": "NO_TARGET" } ] },
            { "source_name": "finance", "tables": [ { "target": "ledger" }, { "target": "dimpayer" }, ] },
            { "tables": [] },
          ]
        }
        """;

    [Fact]
    public void Source_and_table_names_come_from_the_file()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("config.json", Config);

        ConfigNames.Sources(path).Should().Equal("analytics", "finance");
        ConfigNames.Tables(path, "ANALYTICS").Should().Equal("dimpayer", "fact visit");
        ConfigNames.Tables(path, null).Should().Equal("dimpayer", "fact visit", "ledger");
    }

    [Fact]
    public void A_missing_or_broken_file_offers_nothing()
    {
        using var folder = new TemporaryFolder();
        ConfigNames.Sources(Path.Combine(folder.Path, "absent.json")).Should().BeEmpty();
        ConfigNames.Sources(folder.Write("broken.json", "{ \"sources\": [ { \"source_name\": ")).Should().BeEmpty();
        ConfigNames.Sources(null).Should().BeEmpty();
    }

    [Fact]
    public void Completers_filter_by_prefix_quote_and_read_the_bound_config_path()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("config.json", Config);

        new SourceNameCompleter().Candidates("fi", new Hashtable { ["ConfigPath"] = path }).Should().Equal("finance");
        new TableNameCompleter().Candidates("", new Hashtable { ["ConfigPath"] = path, ["Source"] = "analytics" })
            .Select(ConfigCompleter.Quote).Should().Equal("dimpayer", "'fact visit'");
        new TableNameCompleter().Candidates("L", new Hashtable { ["ConfigPath"] = path }).Should().Equal("ledger");
        new SourceNameCompleter().Candidates("'an", new Hashtable { ["Path"] = path }).Should().Equal(["analytics"], "Test-SfPgConfig names the file -Path");
        new SourceNameCompleter().Candidates("", new Hashtable()).Should().BeEmpty();
        new SourceNameCompleter().CompleteArgument("Get-SfPgRun", "Source", "fi", null!, new Hashtable { ["ConfigPath"] = path }).Should().HaveCount(1);
    }

    [Fact]
    public void Names_are_quoted_only_when_PowerShell_needs_it()
    {
        ConfigCompleter.Quote("dimpayer").Should().Be("dimpayer");
        ConfigCompleter.Quote("fact visit").Should().Be("'fact visit'");
        ConfigCompleter.Quote("o'brien table").Should().Be("'o''brien table'");
        ConfigCompleter.Quote("a$b").Should().Be("'a$b'");
    }
}
