using SnowPgMigration.Engine.Planning;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary><c>chunking_strategy</c>: the planner chooses unless the config forces a strategy that fits the key.</summary>
public sealed class ChunkingStrategyOptionTests
{
    private const string T0 = "sources[0].tables[0]";

    [Fact]
    public void Absent_or_auto_lets_the_planner_choose()
    {
        Load(Valid()).FirstTable().ChunkingStrategy.Should().BeNull();

        var config = Valid();
        Table(config)["chunking_strategy"] = "AUTO";
        Load(config).FirstTable().ChunkingStrategy.Should().BeNull();
    }

    [Fact]
    public void A_strategy_name_forces_that_strategy_and_changes_the_config_hash()
    {
        var config = Valid();
        var before = Load(config).ConfigHash;
        Table(config)["chunking_strategy"] = "grouped_values";

        var result = Load(config);

        result.FirstTable().ChunkingStrategy.Should().Be(ChunkStrategy.GroupedValues);
        result.ConfigHash.Should().NotBe(before);
    }

    [Fact]
    public void An_unknown_name_is_an_error_with_a_suggestion()
    {
        var config = Valid();
        Table(config)["chunking_strategy"] = "key_rang";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1007", $"{T0}.chunking_strategy"));
        result.Findings[0].Message.Should().Be("'key_rang' is not a chunking strategy; did you mean 'key_range'?");
    }

    [Fact]
    public void A_date_strategy_on_a_key_that_is_not_a_date_is_an_error()
    {
        var config = Valid();
        Table(config)["chunking_strategy"] = "date_range";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1007", $"{T0}.chunking_strategy"));
        result.Findings[0].Message.Should().Contain("needs a date or timestamp chunking column");
    }
}
