using System.Security.Cryptography;
using System.Text.Json;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// The older tool's key forms log in to the emulator, and <c>sfpg validate</c> reads the key itself, naming
/// every key problem on <c>snowflake.rsa_key</c>.
/// </summary>
public sealed class SnowflakeKeyFormTests
{
    public enum KeyForm
    {
        /// <summary>The base64 body without its BEGIN/END lines (the older tool's env.example form).</summary>
        BareBase64Body,

        /// <summary>PEM whose line breaks are the two characters \ and n (its Lambda environment form).</summary>
        PemWithLiteralNewlines,
    }

    [Theory]
    [InlineData(KeyForm.BareBase64Body)]
    [InlineData(KeyForm.PemWithLiteralNewlines)]
    public async Task The_older_tools_key_forms_log_in_and_load_a_table(KeyForm form)
    {
        using var key = RSA.Create(2048);
        await using var env = await MigrationEnvironment.StartAsync(o => o with { PublicKeyPems = [key.ExportSubjectPublicKeyInfoPem()] });
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 300) g;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint, name text)");
        var pem = key.ExportPkcs8PrivateKeyPem();
        var written = form == KeyForm.BareBase64Body
            ? string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            : pem.Replace("\n", "\\n", StringComparison.Ordinal);
        var variables = new Dictionary<string, string> { ["SNOWFLAKE_RSA_KEY"] = written };
        var json = WithKey(env.ConfigJson("""[ { "source": "ITEMS", "target": "items", "truncate_onstart": true } ]"""), "${SNOWFLAKE_RSA_KEY}");

        var loaded = ConfigLoader.Parse(json, new ConfigLoadOptions { EnvironmentVariables = n => variables.GetValueOrDefault(n), CheckPrivateKey = true });
        loaded.Errors.Should().BeEmpty();
        var run = (await env.RunAsync(loaded.GetConfigOrThrow())).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("ITEMS"));
    }

    [Fact]
    public async Task Validate_reads_the_key_and_names_each_problem_on_snowflake_rsa_key()
    {
        using var folder = new TemporaryFolder();
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = rsa.ExportEncryptedPkcs8PrivateKeyPem(
            "right passphrase", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        var cases = new (string Name, string Key, string? Passphrase, string Code, string Says)[]
        {
            ("missing file", Path.Combine(folder.Path, "no-such-key.p8"), null, "SFPG3015", "no-such-key.p8"),
            ("public key", folder.Write("public.pem", rsa.ExportSubjectPublicKeyInfoPem()), null, "SFPG3016", "'PUBLIC KEY', not a private key"),
            ("wrong passphrase", folder.Write("encrypted.p8", encrypted), "wrong passphrase", "SFPG3017", "rsa_key_passphrase does not decrypt"),
            ("no passphrase", folder.Write("encrypted-too.p8", encrypted), null, "SFPG3017", "rsa_key_passphrase is not set"),
            ("EC key", folder.Write("ec.p8", ec.ExportPkcs8PrivateKeyPem()), null, "SFPG3018", "an EC private key"),
        };

        foreach (var (name, keyValue, passphrase, code, says) in cases)
        {
            var config = folder.Write($"{name.Replace(' ', '-')}.json", Config(keyValue, passphrase));
            var (exitCode, output, error) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(60), "validate", "--config", config);

            exitCode.Should().Be(1, $"{name}: {output}{error}");
            output.Should().Contain($"error {code} snowflake.rsa_key: ", name).And.Contain(says, name);
        }

        // The same key, decrypted with its passphrase, passes.
        var good = folder.Write("good.json", Config(folder.Write("good.p8", encrypted), "right passphrase"));
        var (goodExit, goodOutput, _) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(60), "validate", "--config", good);
        goodExit.Should().Be(0, goodOutput);
    }

    private static string Config(string rsaKey, string? passphrase) => $$"""
        {
          "snowflake": { "account": "myorg-myaccount", "user": "MIGRATION_SVC", "rsa_key": {{JsonSerializer.Serialize(rsaKey)}}
                         {{(passphrase is null ? "" : $", \"rsa_key_passphrase\": {JsonSerializer.Serialize(passphrase)}")}} },
          "postgres": { "host": "localhost", "user": "migration" },
          "sources": [ { "source_name": "s", "source_sf_database": "DB", "source_sf_schema": "PUBLIC", "target_pg_database": "target",
                         "target_pg_schema": "public", "tables": [ { "source": "T", "target": "t", "truncate_onstart": true } ] } ]
        }
        """;

    private static string WithKey(string configJson, string rsaKey) =>
        configJson.Replace(
            "\"token\": \"any\", \"authenticator\": \"PROGRAMMATIC_ACCESS_TOKEN\"",
            $"\"rsa_key\": {JsonSerializer.Serialize(rsaKey)}",
            StringComparison.Ordinal);
}
