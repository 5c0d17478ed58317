using SnowPgMigration.Tests.Integration.Infrastructure;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary><c>sfpg emulator serve</c> on an address other machines reach asks for credentials and says so.</summary>
public sealed class EmulatorExposureTests
{
    [Fact]
    public async Task Binding_every_interface_without_credentials_is_refused()
    {
        var pg = await PostgresServer.ConnectionStringAsync();

        var (exitCode, output, error) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(30), "emulator", "serve", "--pg", pg, "--host", "0.0.0.0");

        exitCode.Should().Be(2, output + error);
        error.Should().Contain("--host 0.0.0.0 is reachable from other machines").And.Contain("--token");
        output.Should().NotContain("listening");
    }

    [Fact]
    public async Task Binding_every_interface_with_a_token_warns_that_it_is_reachable()
    {
        var pg = await PostgresServer.ConnectionStringAsync();
        using var emulator = SfpgProcess.Start("emulator", "serve", "--pg", pg, "--host", "0.0.0.0", "--token", "pat-exposure-test");
        try
        {
            await Eventually.True(() => Task.FromResult(emulator.Output.Contains("listening", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the emulator to start");

            emulator.Error.Should().Contain("warning: listening on 0.0.0.0, reachable from other machines");
            emulator.Output.Should().NotContain("ANY bearer token");
        }
        finally
        {
            emulator.KillNow();
        }
    }
}
