using SnowPgMigration.Engine.Verification;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>The verify key: counts or checksums, the nearest block wins, and never "none".</summary>
public sealed class VerifySettingTests
{
    [Fact]
    public void The_nearest_block_sets_the_depth_and_counts_is_the_default()
    {
        var config = Valid();
        Source(config)["verify"] = "checksums";
        var second = Table(config).DeepClone().AsObject();
        second["target"] = "other";
        second["verify"] = "counts";
        Source(config)["tables"]!.AsArray().Add(second);

        Load(config).Config!.Sources.Single().Tables.Select(t => t.Verify).Should().Equal(VerifyDepth.Checksums, VerifyDepth.Counts);
        Load(Valid()).FirstTable().Verify.Should().Be(VerifyDepth.Counts);
    }

    [Fact]
    public void None_is_refused_since_a_table_is_completed_only_when_its_target_agrees_with_the_source()
    {
        var config = Valid();
        Table(config)["verify"] = "none";

        var result = Load(config);

        result.Config.Should().BeNull();
        result.CodesAndPaths().Should().Contain(("SFPG1007", "sources[0].tables[0].verify"));
        result.Findings.Single(f => f.Path == "sources[0].tables[0].verify").Message.Should().Contain("completed only when its target");
    }
}
