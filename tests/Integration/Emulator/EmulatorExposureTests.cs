using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary><c>sfpg-sandbox emulator serve</c> on an address other machines reach asks for credentials and says so.</summary>
public sealed class EmulatorExposureTests
{
    [Fact]
    public async Task Binding_every_interface_without_credentials_is_refused()
    {
        var pg = await PostgresServer.ConnectionStringAsync();

        var (exitCode, output, error) = await SfpgProcess.RunSandboxAsync(TimeSpan.FromSeconds(30), "emulator", "serve", "--pg", pg, "--host", "0.0.0.0");

        exitCode.Should().Be(2, output + error);
        error.Should().Contain("--host 0.0.0.0 is reachable from other machines").And.Contain("--token");
        output.Should().NotContain("listening");
    }

    [Fact]
    public async Task Binding_every_interface_with_a_token_warns_that_it_is_reachable()
    {
        var pg = await PostgresServer.ConnectionStringAsync();
        using var emulator = SfpgProcess.StartSandbox("emulator", "serve", "--pg", pg, "--host", "0.0.0.0", "--token", "pat-exposure-test");
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

    [Fact]
    public async Task Without_credentials_serve_generates_a_token_prints_it_and_accepts_only_it()
    {
        var pg = await PostgresServer.ConnectionStringAsync();
        using var emulator = SfpgProcess.StartSandbox("emulator", "serve", "--pg", pg);
        try
        {
            await Eventually.True(() => Task.FromResult(emulator.Output.Contains("Authentication:", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the emulator to start");
            var baseUri = new Uri(Regex.Match(emulator.Output, @"listening on (\S+)").Groups[1].Value);
            var token = Regex.Match(emulator.Output, @"generated token (\S+)").Groups[1].Value;
            token.Should().NotBeEmpty(emulator.Output);
            using var http = new HttpClient { BaseAddress = baseUri };

            async Task<HttpStatusCode> Submit(string? bearer)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/statements")
                {
                    Content = new StringContent("""{ "statement": "SELECT 1 AS one" }""", Encoding.UTF8, "application/json"),
                };
                if (bearer is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                    request.Headers.Add("X-Snowflake-Authorization-Token-Type", "PROGRAMMATIC_ACCESS_TOKEN");
                }

                using var response = await http.SendAsync(request);
                return response.StatusCode;
            }

            (await Submit(null)).Should().Be(HttpStatusCode.BadRequest, "a request without a token is refused");
            (await Submit("any")).Should().Be(HttpStatusCode.Unauthorized, "any other token is refused");
            (await Submit(token)).Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            emulator.KillNow();
        }
    }
}
