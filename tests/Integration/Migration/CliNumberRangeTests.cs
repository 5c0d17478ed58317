namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>Numbers and durations on the sfpg command line are range-checked before anything connects, with the limits named.</summary>
public sealed class CliNumberRangeTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("migrate --threads 100000", "--threads is 100000; it must be between 1 and 64 workers per table.")]
    [InlineData("migrate --threads 0", "--threads is 0; it must be between 1 and 64 workers per table.")]
    [InlineData("migrate --resume-max-age -1", "--resume-max-age is -1; it must be more than 0s and at most 365d.")]
    [InlineData("migrate --max-duration -5", "--max-duration is -5; it must be more than 0s and at most 30d.")]
    [InlineData("resume --run-id 00000000-0000-0000-0000-000000000001 --max-duration 0", "--max-duration is 0; it must be more than 0s and at most 30d.")]
    [InlineData("cleanup --older-than -1", "--older-than is -1; it must be between 0s and 36500d.")]
    [InlineData("runs --stale --stale-after 0", "--stale-after is 0; it must be more than 0s and at most 7d.")]
    [InlineData("chunks --first 0", "--first is 0; it must be between 1 and 1000000 chunks.")]
    public async Task An_out_of_range_number_is_refused_with_its_limits_and_unit(string arguments, string message)
    {
        var config = Path.Combine(Path.GetTempPath(), $"sfpg-never-read-{Guid.NewGuid():N}.json");
        var args = arguments.Split(' ').Concat(["--config", config]).ToArray();

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, args);

        exitCode.Should().Be(2, output + error);
        error.Should().Contain("error SFPG1051: " + message);
        error.Should().NotContain("Include Error Detail");
        File.Exists(config).Should().BeFalse();
    }
}
