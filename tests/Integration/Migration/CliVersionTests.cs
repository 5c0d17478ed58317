using System.Text.RegularExpressions;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary><c>sfpg --version</c> prints the one version of the tool, set in Directory.Build.props.</summary>
public sealed class CliVersionTests
{
    [Fact]
    public async Task Sfpg_prints_the_version_of_Directory_Build_props()
    {
        var props = await File.ReadAllTextAsync(RepositoryFiles.Path("Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;

        var (exitCode, output, error) = await SfpgProcess.RunAsync(TimeSpan.FromMinutes(1), "--version");

        exitCode.Should().Be(0, error);
        version.Should().NotBeEmpty();
        output.Trim().Should().MatchRegex("^" + Regex.Escape(version) + @"(\+[0-9a-f]+)?$", "the version, and the commit it was built from");
    }
}
