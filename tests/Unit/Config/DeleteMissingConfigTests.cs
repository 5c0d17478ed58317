using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>delete_missing, soft_delete_column and max_delete_ratio are read and checked with the rest of the config.</summary>
public sealed class DeleteMissingConfigTests
{
    private const string T0 = "sources[0].tables[0]";

    [Fact]
    public void Hard_and_soft_are_read_with_a_safe_default_ratio()
    {
        var config = Valid();
        Table(config)["delete_missing"] = "hard";
        var hard = Load(config).GetConfigOrThrow().Sources[0].Tables[0].DeleteMissing;
        hard.Should().Be(new DeleteMissingSettings(DeleteMissingMode.Hard, null, 0.1));

        Table(config)["delete_missing"] = "soft";
        Table(config)["soft_delete_column"] = "deleted_at";
        Table(config)["max_delete_ratio"] = 0.25;
        Load(config).GetConfigOrThrow().Sources[0].Tables[0].DeleteMissing
            .Should().Be(new DeleteMissingSettings(DeleteMissingMode.Soft, "deleted_at", 0.25));
    }

    [Fact]
    public void Delete_missing_without_uniqueness_columns_is_an_error()
    {
        var config = Valid();
        Table(config).Remove("uniqueness_columns");
        Table(config).Remove("source_watermark");
        Table(config).Remove("target_watermark");
        Table(config)["delete_missing"] = "hard";

        Load(config).CodesAndPaths().Should().Contain(("SFPG1065", $"{T0}.delete_missing"));
    }

    [Fact]
    public void Soft_needs_its_column_and_other_values_are_refused()
    {
        var config = Valid();
        Table(config)["delete_missing"] = "soft";
        Load(config).CodesAndPaths().Should().Equal(("SFPG1066", $"{T0}.soft_delete_column"));

        Table(config)["delete_missing"] = "purge";
        Load(config).CodesAndPaths().Should().Equal(("SFPG1067", $"{T0}.delete_missing"));

        Table(config)["delete_missing"] = "hard";
        Table(config)["max_delete_ratio"] = 1.5;
        Load(config).CodesAndPaths().Should().Equal(("SFPG1006", $"{T0}.max_delete_ratio"));
    }
}
