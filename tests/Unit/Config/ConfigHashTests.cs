using System.Text;
using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class ConfigHashTests
{
    private static string HashOf(JsonObject config, string? sourceName = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var result = Load(config, sourceName, variables);
        result.Errors.Should().BeEmpty();
        return result.ConfigHash!;
    }

    [Fact]
    public void The_hash_is_stable_and_ignores_formatting_comments_and_key_order()
    {
        var config = Valid();
        var reordered = "{\n  \"sources\": " + config["sources"]!.ToJsonString() + ",\n  /* c */ \"postgres\": "
            + config["postgres"]!.ToJsonString() + ",\n  \"snowflake\": " + config["snowflake"]!.ToJsonString() + ",\n}";
        var reorderedResult = Load(reordered);

        reorderedResult.Findings.Should().BeEmpty();
        HashOf(config).Should().Be(HashOf(Valid())).And.Be(reorderedResult.ConfigHash);
    }

    [Fact]
    public void Changing_a_password_or_token_or_key_does_not_change_the_hash()
    {
        var baseline = HashOf(Valid());
        var withToken = Valid();
        withToken["snowflake"]!["token"] = "${TOKEN}";

        HashOf(Valid(), variables: new Dictionary<string, string>(Variables) { ["PG_PASSWORD"] = "another password" }).Should().Be(baseline);
        HashOf(Valid(), variables: new Dictionary<string, string>(Variables) { ["SF_KEY"] = "/other/key.p8" }).Should().Be(baseline);
        HashOf(withToken, variables: new Dictionary<string, string>(Variables) { ["TOKEN"] = "one" })
            .Should().Be(HashOf(withToken, variables: new Dictionary<string, string>(Variables) { ["TOKEN"] = "two" }))
            .And.Be(baseline);
    }

    [Fact]
    public void Connection_and_speed_settings_do_not_change_the_hash()
    {
        var baseline = HashOf(Valid());
        var tuned = Valid();
        tuned["parallel_threads"] = 16;
        tuned["batch_size"] = 123_456;
        tuned["max_retry_attempts"] = 9;
        tuned["deadline_buffer_seconds"] = 30;
        tuned["postgres"]!["host"] = "db.internal";
        tuned["postgres"]!["port"] = 6432;
        tuned["snowflake"]!["warehouse"] = "BIG_WH";
        tuned["snowflake"]!["statement_timeout_seconds"] = 60;
        Table(tuned)["parallel_threads"] = 2;
        Table(tuned)["batch_size"] = 500;
        Table(tuned)["disable_index"] = true;

        HashOf(tuned).Should().Be(baseline);
    }

    [Theory]
    [InlineData("uniqueness_columns")]
    [InlineData("source_filter")]
    [InlineData("truncate_onstart")]
    [InlineData("insert_only_mode")]
    [InlineData("target")]
    [InlineData("chunking_columns")]
    [InlineData("column_mapping")]
    [InlineData("enabled")]
    public void Changing_a_table_option_changes_the_hash(string option)
    {
        var baseline = HashOf(Valid());
        var changed = Valid();
        var table = Table(changed);
        switch (option)
        {
            case "uniqueness_columns": table[option] = Array("Payer Id", "REGION"); break;
            case "source_filter": table[option] = "\"Is Active\" = TRUE"; break;
            case "truncate_onstart": table[option] = true; break;
            case "insert_only_mode": table[option] = true; break;
            case "target": table[option] = "dimpayer_v2"; break;
            case "chunking_columns": table[option] = Array("REGION"); break;
            case "column_mapping": table[option] = new JsonObject { ["A"] = "b" }; break;
            case "enabled": table[option] = false; break;
        }

        HashOf(changed).Should().NotBe(baseline);
    }

    [Fact]
    public void Settings_made_inert_by_truncate_onstart_do_not_change_the_hash()
    {
        var first = Valid();
        Table(first)["truncate_onstart"] = true;
        var second = Valid();
        Table(second)["truncate_onstart"] = true;
        Table(second)["uniqueness_columns"] = Array("SOMETHING_ELSE");
        Table(second)["source_watermark"] = "X";
        Table(second)["target_watermark"] = "y";

        HashOf(second).Should().Be(HashOf(first));
    }

    [Fact]
    public void The_hash_of_a_requested_source_ignores_the_other_sources()
    {
        JsonObject TwoSources(string otherFilter)
        {
            var config = Valid();
            var other = Source(config).DeepClone().AsObject();
            other["source_name"] = "billing";
            other["tables"]![0]!["source_filter"] = otherFilter;
            config["sources"]!.AsArray().Add(other);
            return config;
        }

        HashOf(TwoSources("A = 1"), "analytics").Should().Be(HashOf(TwoSources("A = 2"), "analytics"));
        HashOf(TwoSources("A = 1"), "billing").Should().NotBe(HashOf(TwoSources("A = 2"), "billing"));
        HashOf(TwoSources("A = 1")).Should().NotBe(HashOf(TwoSources("A = 2")));
    }

    [Fact]
    public void The_hash_is_the_sha256_of_a_canonical_form_that_holds_no_secret()
    {
        var result = Load(Valid());

        var canonical = ConfigHasher.CanonicalForm(result.Config!);
        var text = Encoding.UTF8.GetString(canonical);

        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(canonical)).ToLowerInvariant().Should().Be(result.ConfigHash);
        text.Should().StartWith("{\"format\":\"sfpg-config-hash/1\",\"snowflake_account\":\"MYORG-MYACCOUNT\"");
        text.Should().Contain("\"source\":\"DIMPAYER\"").And.NotContain(Password).And.NotContain("snowflake.p8").And.NotContain("MIGRATION_SVC");
    }
}
