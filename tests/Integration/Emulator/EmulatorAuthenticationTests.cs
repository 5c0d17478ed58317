using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>Key-pair JWTs checked against registered public keys; opaque tokens by exact match.</summary>
public sealed class EmulatorAuthenticationTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private readonly string _publicKeyFile = Path.Combine(Path.GetTempPath(), $"sfpg-test-key-{Guid.NewGuid():N}.pub");

    public EmulatorAuthenticationTests() => File.WriteAllText(_publicKeyFile, _key.ExportSubjectPublicKeyInfoPem());

    [Fact]
    public async Task A_valid_key_pair_jwt_is_accepted_and_wrong_or_expired_ones_get_401_390144()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PublicKeyFiles = [_publicKeyFile] });
        var now = DateTimeOffset.UtcNow;

        var valid = await SubmitWithTokenAsync(server, Jwt(_key, _key, now, now.AddMinutes(59)));
        var wrongKey = await SubmitWithTokenAsync(server, Jwt(_otherKey, _otherKey, now, now.AddMinutes(59)));
        var forgedSignature = await SubmitWithTokenAsync(server, Jwt(_key, _otherKey, now, now.AddMinutes(59)));
        var expired = await SubmitWithTokenAsync(server, Jwt(_key, _key, now.AddHours(-2), now.AddHours(-1)));
        var garbage = await SubmitWithTokenAsync(server, "a.b.c");
        var missing = await server.SubmitAsync("SELECT 1 AS one");

        server.Host.AcceptsAnyToken.Should().BeFalse();
        valid.Status.Should().Be(HttpStatusCode.OK, valid.Body);
        foreach (var rejected in new[] { wrongKey, forgedSignature, expired, garbage })
        {
            rejected.Status.Should().Be(HttpStatusCode.Unauthorized);
            rejected.Keys.Should().Equal("code", "message");
            rejected.Code.Should().Be("390144");
        }

        expired.Json.GetProperty("message").GetString().Should().Contain("expired");
        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.Code.Should().Be("390146");
        var stats = await AdminAsync(server, HttpMethod.Get, "_emulator/stats", Jwt(_key, _key, now, now.AddMinutes(59)));
        JsonDocument.Parse(stats.Body).RootElement.GetProperty("authenticationFailures").GetInt64().Should().Be(5);
    }

    [Fact]
    public async Task Opaque_tokens_are_accepted_only_when_registered()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AcceptedTokens = ["pat-secret-1"] });

        var accepted = await SubmitWithTokenAsync(server, "pat-secret-1", "PROGRAMMATIC_ACCESS_TOKEN");
        var rejected = await SubmitWithTokenAsync(server, "pat-wrong", "OAUTH");

        accepted.Status.Should().Be(HttpStatusCode.OK);
        rejected.Status.Should().Be(HttpStatusCode.Unauthorized);
        rejected.Code.Should().Be("390303");
        rejected.Body.Should().NotContain("pat-wrong", "tokens never appear in answers");
    }

    [Fact]
    public async Task Without_keys_any_bearer_token_is_accepted()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await SubmitWithTokenAsync(server, "anything");

        server.Host.AcceptsAnyToken.Should().BeTrue();
        response.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unreadable_public_key_file_fails_start_up_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-key-{Guid.NewGuid():N}.pem");

        var start = () => EmulatorTestServer.StartAsync(o => o with { PublicKeyFiles = [missing] });

        (await start.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(missing).And.Contain("--public-key");
    }

    [Fact]
    public async Task Admin_endpoints_need_the_same_credentials_as_statements()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AcceptedTokens = ["pat-secret-1"] });

        var statsWithout = await AdminAsync(server, HttpMethod.Get, "_emulator/stats", token: null);
        var faultsWithout = await AdminAsync(server, HttpMethod.Post, "_emulator/faults", token: null, body: """{ "spec": "503:p=1" }""");
        var faultsWrong = await AdminAsync(server, HttpMethod.Delete, "_emulator/faults", token: "pat-wrong");
        var statsWith = await AdminAsync(server, HttpMethod.Get, "_emulator/stats", token: "pat-secret-1");
        var statement = await SubmitWithTokenAsync(server, "pat-secret-1", "PROGRAMMATIC_ACCESS_TOKEN");

        statsWithout.Status.Should().Be(HttpStatusCode.BadRequest);
        statsWithout.Code.Should().Be("390146");
        faultsWithout.Status.Should().Be(HttpStatusCode.BadRequest);
        faultsWrong.Status.Should().Be(HttpStatusCode.Unauthorized);
        statsWith.Status.Should().Be(HttpStatusCode.OK, statsWith.Body);
        statement.Status.Should().Be(HttpStatusCode.OK, "the refused fault rule was never installed: " + statement.Body);
    }

    private static async Task<SqlApiResponse> AdminAsync(EmulatorTestServer server, HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-Snowflake-Authorization-Token-Type", token.Count(c => c == '.') == 2 ? "KEYPAIR_JWT" : "PROGRAMMATIC_ACCESS_TOKEN");
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await server.SendAsync(request);
    }

    private static Task<SqlApiResponse> SubmitWithTokenAsync(EmulatorTestServer server, string token, string type = "KEYPAIR_JWT") =>
        server.SubmitAsync("SELECT 1 AS one", configure: request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-Snowflake-Authorization-Token-Type", type);
        });

    /// <summary>A Snowflake key-pair JWT: issuer names <paramref name="claimedKey"/>'s fingerprint, signed with <paramref name="signingKey"/>.</summary>
    private static string Jwt(RSA claimedKey, RSA signingKey, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(claimedKey.ExportSubjectPublicKeyInfo()));
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = $"MYORG-MYACCOUNT.LOADER.{fingerprint}",
            sub = "MYORG-MYACCOUNT.LOADER",
            iat = issuedAt.ToUnixTimeSeconds(),
            exp = expiresAt.ToUnixTimeSeconds(),
        }));
        var signature = signingKey.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
        File.Delete(_publicKeyFile);
    }
}
