using System.Text;
using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class ConfigDifferencesTests
{
    private static string Canonical(JsonObject config) =>
        Encoding.UTF8.GetString(ConfigHasher.CanonicalForm(Load(config).GetConfigOrThrow(), "analytics"));

    [Fact]
    public void Each_changed_added_and_removed_table_and_setting_is_named()
    {
        var before = Valid();
        var after = Valid();
        Table(after)["insert_only_mode"] = true;
        Table(after)["source_filter"] = "\"Amount\" > 0";
        Source(after)["source_sf_schema"] = "BI2";
        var added = Table(after).DeepClone().AsObject();
        added["target"] = "dimpayer_copy";
        after["sources"]![0]!["tables"]!.AsArray().Add(added);

        var differences = ConfigDifferences.Between(Canonical(before), Canonical(after));

        differences.Should().BeEquivalentTo(
            "source \"analytics\": source_sf_schema \"BI\" -> \"BI2\"",
            "source \"analytics\": table \"dimpayer\": source_filter null -> \"\\\"Amount\\\" > 0\"",
            "source \"analytics\": table \"dimpayer\": insert_only_mode false -> true",
            "source \"analytics\": table \"dimpayer_copy\" added");
        ConfigDifferences.Between(Canonical(after), Canonical(before)).Should().Contain("source \"analytics\": table \"dimpayer_copy\" removed");
    }

    [Fact]
    public void Equal_configs_have_no_differences_and_an_unrecorded_one_is_said_plainly()
    {
        ConfigDifferences.Between(Canonical(Valid()), Canonical(Valid())).Should().BeEmpty();
        ConfigDifferences.Between(null, Canonical(Valid())).Should().ContainSingle().Which.Should().Contain("not recorded");
    }
}
