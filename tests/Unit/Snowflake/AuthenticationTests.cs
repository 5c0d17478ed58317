using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

public sealed class AuthenticationTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static SnowflakeSettings KeySettings(string rsaKey, string? passphrase = null) => new()
    {
        Account = "myorg-myaccount",
        User = "loader",
        RsaKey = rsaKey,
        RsaKeyPassphrase = passphrase,
    };

    private static (JsonElement Header, JsonElement Payload, bool SignatureValid) DecodeJwt(string token, RSA publicKey)
    {
        var parts = token.Split('.');
        parts.Should().HaveCount(3);
        var signatureValid = publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (JsonDocument.Parse(FromBase64Url(parts[0])).RootElement, JsonDocument.Parse(FromBase64Url(parts[1])).RootElement, signatureValid);
    }

    private static byte[] FromBase64Url(string text)
    {
        text.Should().NotContainAny("+", "/", "=");
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("pkcs1")]
    [InlineData("encrypted")]
    public void Every_key_form_loads_to_the_same_key_with_openssls_fingerprint(string form)
    {
        var path = form switch { "pkcs8" => TestKeys.Pkcs8Path, "pkcs1" => TestKeys.Pkcs1Path, _ => TestKeys.EncryptedPath };

        using var fromPath = SnowflakePrivateKey.Load(path, TestKeys.Passphrase);
        using var fromText = SnowflakePrivateKey.Load(File.ReadAllText(path), TestKeys.Passphrase);

        SnowflakePrivateKey.Fingerprint(fromPath).Should().Be("SHA256:" + TestKeys.OpensslFingerprint);
        SnowflakePrivateKey.Fingerprint(fromText).Should().Be("SHA256:" + TestKeys.OpensslFingerprint);
    }

    [Fact]
    public void An_encrypted_key_without_or_with_a_wrong_passphrase_names_the_passphrase_setting()
    {
        var pem = File.ReadAllText(TestKeys.EncryptedPath);

        var missing = () => SnowflakePrivateKey.Load(pem, null);
        var wrong = () => SnowflakePrivateKey.Load(pem, "not-the-passphrase");

        missing.Should().Throw<SnowflakeException>().Where(e => e.Code == "SFPG3017" && e.Message.Contains("rsa_key_passphrase is not set"));
        var error = wrong.Should().Throw<SnowflakeException>().Which;
        error.Code.Should().Be("SFPG3017");
        error.Message.Should().Contain("rsa_key_passphrase does not decrypt").And.NotContain("not-the-passphrase").And.NotContain("PRIVATE KEY-----");
    }

    [Fact]
    public void A_missing_key_file_is_named_but_key_material_never_is()
    {
        var missingFile = () => SnowflakePrivateKey.Load("/no/such/dir/rsa_key.p8", null);
        missingFile.Should().Throw<SnowflakeException>()
            .Where(e => e.Code == "SFPG3015" && e.Message.Contains("'/no/such/dir/rsa_key.p8'"));

        // A damaged key body (a character that is not base64) is taken for a path; it must not be echoed.
        var body = string.Concat(File.ReadAllLines(TestKeys.Pkcs8Path).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        var damaged = body.Insert(60, "%");
        var pasted = () => SnowflakePrivateKey.Load(damaged, null);
        var error = pasted.Should().Throw<SnowflakeException>().Which;
        error.Message.Should().NotContain(body[..40]);
        error.InnerException.Should().BeNull();

        var garbage = () => SnowflakePrivateKey.Load("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", null);
        garbage.Should().Throw<SnowflakeException>().Where(e => e.Code == "SFPG3016" && e.Message.Contains("no RSA private key"));
    }

    [Fact]
    public void The_jwt_has_snowflakes_claims_and_a_valid_rs256_signature()
    {
        using var source = (KeyPairJwtTokenSource)SnowflakeTokenSourceFor(KeySettings(TestKeys.EncryptedPath, TestKeys.Passphrase), new ManualClock(Start));
        using var publicKey = SnowflakePrivateKey.Load(TestKeys.Pkcs8Path, null);

        var (header, payload, signatureValid) = DecodeJwt(source.GetToken(), publicKey);

        signatureValid.Should().BeTrue();
        header.GetProperty("alg").GetString().Should().Be("RS256");
        header.GetProperty("typ").GetString().Should().Be("JWT");
        payload.GetProperty("iss").GetString().Should().Be("MYORG-MYACCOUNT.LOADER.SHA256:" + TestKeys.OpensslFingerprint);
        payload.GetProperty("sub").GetString().Should().Be("MYORG-MYACCOUNT.LOADER");
        payload.GetProperty("iat").GetInt64().Should().Be(Start.ToUnixTimeSeconds());
        payload.GetProperty("exp").GetInt64().Should().Be(Start.ToUnixTimeSeconds() + 59 * 60);
        source.TokenType.Should().Be("KEYPAIR_JWT");
    }

    [Fact]
    public void The_jwt_is_reused_until_five_minutes_before_expiry_then_renewed()
    {
        var clock = new ManualClock(Start);
        using var source = SnowflakeTokenSourceFor(KeySettings(TestKeys.Pkcs1Path), clock);
        using var publicKey = SnowflakePrivateKey.Load(TestKeys.Pkcs8Path, null);

        var first = source.GetToken();
        clock.Now = Start.AddMinutes(53).AddSeconds(59);
        source.GetToken().Should().Be(first);

        clock.Now = Start.AddMinutes(54);
        var renewed = source.GetToken();
        renewed.Should().NotBe(first);
        DecodeJwt(renewed, publicKey).Payload.GetProperty("iat").GetInt64().Should().Be(clock.Now.ToUnixTimeSeconds());

        clock.Now = clock.Now.AddSeconds(30);
        source.Invalidate();
        var afterRejection = source.GetToken();
        afterRejection.Should().NotBe(renewed);
        DecodeJwt(afterRejection, publicKey).SignatureValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("xy12345.us-east-1", "XY12345")]
    [InlineData("xy12345.us-east-2.aws", "XY12345")]
    [InlineData("myorg-myaccount", "MYORG-MYACCOUNT")]
    [InlineData("MyOrg-My_Account", "MYORG-MY_ACCOUNT")]
    [InlineData("myorg-myaccount.global", "MYORG")]
    [InlineData("https://myorg-myaccount.snowflakecomputing.com/", "MYORG-MYACCOUNT")]
    [InlineData("  xy12345.eu-central-1.snowflakecomputing.com ", "XY12345")]
    public void Account_names_normalise_for_the_jwt_as_snowflake_requires(string account, string expected)
    {
        SnowflakeAccount.JwtAccountName(account).Should().Be(expected);
    }

    [Fact]
    public void The_base_address_comes_from_the_account_or_the_host_port_scheme_override()
    {
        SnowflakeAccount.BaseAddress(new SnowflakeSettings { Account = "MyOrg-MyAccount" })
            .Should().Be(new Uri("https://myorg-myaccount.snowflakecomputing.com/"));
        SnowflakeAccount.BaseAddress(new SnowflakeSettings { Account = "xy12345.us-east-1.snowflakecomputing.com" })
            .Should().Be(new Uri("https://xy12345.us-east-1.snowflakecomputing.com/"));
        SnowflakeAccount.BaseAddress(new SnowflakeSettings { Account = "sandbox", Host = "127.0.0.1", Port = 8085, Scheme = "HTTP" })
            .Should().Be(new Uri("http://127.0.0.1:8085/"));

        var badScheme = () => SnowflakeAccount.BaseAddress(new SnowflakeSettings { Account = "a", Scheme = "ftp" });
        badScheme.Should().Throw<SnowflakeException>().Where(e => e.Code == "SFPG3009" && e.Message.Contains("snowflake.scheme"));
        var badPort = () => SnowflakeAccount.BaseAddress(new SnowflakeSettings { Account = "a", Port = 70000 });
        badPort.Should().Throw<SnowflakeException>().Where(e => e.Message.Contains("snowflake.port"));
    }

    [Theory]
    [InlineData(null, "tok", null, "snowflake.authenticator is not; set it to OAUTH or PROGRAMMATIC_ACCESS_TOKEN")]
    [InlineData(null, null, null, "No Snowflake credentials")]
    [InlineData("OAUTH", null, null, "snowflake.token is not set")]
    [InlineData("SNOWFLAKE_JWT", null, null, "snowflake.rsa_key is not set")]
    [InlineData("PASSWORD", "tok", null, "'PASSWORD' is not supported")]
    [InlineData(null, null, "key", "snowflake.user is not set")]
    public void Incomplete_settings_name_the_setting_to_fix(string? authenticator, string? token, string? key, string fragment)
    {
        var settings = new SnowflakeSettings
        {
            Account = "myorg-myaccount",
            User = key is null ? "loader" : null,
            Authenticator = authenticator,
            Token = token,
            RsaKey = key is null ? null : TestKeys.Pkcs8Path,
        };

        var create = () => SnowflakeClient.Create(settings);

        var error = create.Should().Throw<SnowflakeException>().Which;
        error.Code.Should().Be("SFPG3009");
        error.Message.Should().Contain(fragment);
        if (token is not null)
        {
            error.Message.Should().NotContain("tok'");
        }
    }

    [Theory]
    [InlineData("PROGRAMMATIC_ACCESS_TOKEN", "PROGRAMMATIC_ACCESS_TOKEN")]
    [InlineData("pat", "PROGRAMMATIC_ACCESS_TOKEN")]
    [InlineData("oauth", "OAUTH")]
    public async Task Token_authentication_sends_the_token_and_its_type(string authenticator, string tokenType)
    {
        await using var server = new ReplayServer().On(Recording.Load(18));
        var settings = TestClients.SettingsFor(server) with { Authenticator = authenticator, Token = "pat-secret-value" };
        await using var client = TestClients.For(server, settings: settings);

        await client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var request = server.Received.Single();
        request.Header("Authorization").Should().Be("Bearer pat-secret-value");
        request.Header("X-Snowflake-Authorization-Token-Type").Should().Be(tokenType);
    }

    [Fact]
    public async Task Key_pair_requests_carry_a_jwt_that_verifies_against_the_public_key()
    {
        await using var server = new ReplayServer().On(Recording.Load(18));
        var settings = TestClients.SettingsFor(server) with
        {
            Token = null, Authenticator = "SNOWFLAKE_JWT", RsaKey = File.ReadAllText(TestKeys.EncryptedPath), RsaKeyPassphrase = TestKeys.Passphrase,
        };
        await using var client = TestClients.For(server, settings: settings);
        using var publicKey = SnowflakePrivateKey.Load(TestKeys.Pkcs8Path, null);

        await client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        client.Authentication.Should().Be(SnowflakeAuthentication.KeyPairJwt);
        var authorization = server.Received.Single().Header("Authorization")!;
        authorization.Should().StartWith("Bearer ");
        var (_, payload, valid) = DecodeJwt(authorization["Bearer ".Length..], publicKey);
        valid.Should().BeTrue();
        payload.GetProperty("sub").GetString().Should().Be("MYORG-MYACCOUNT.LOADER");
        server.Received.Single().Header("X-Snowflake-Authorization-Token-Type").Should().Be("KEYPAIR_JWT");
    }

    private static SnowflakeTokenSource SnowflakeTokenSourceFor(SnowflakeSettings settings, TimeProvider clock) =>
        SnowflakeTokenSource.Create(settings, clock);
}
