using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class LoadMethodDecisionTests
{
    [Theory]
    [InlineData(false, false, false, ChunkStrategy.KeyRange, LoadMethod.Copy)]
    [InlineData(false, true, false, ChunkStrategy.KeyRange, LoadMethod.Copy)]
    [InlineData(false, true, true, ChunkStrategy.KeyRange, LoadMethod.Upsert)]
    [InlineData(true, true, true, ChunkStrategy.KeyRange, LoadMethod.InsertOnly)]
    [InlineData(false, true, false, ChunkStrategy.DateRange, LoadMethod.Upsert)]
    [InlineData(true, true, false, ChunkStrategy.DateRangeWithSubChunks, LoadMethod.InsertOnly)]
    [InlineData(false, false, false, ChunkStrategy.DateRange, LoadMethod.Copy)]
    public void The_method_follows_the_target_state_the_key_and_the_strategy(
        bool insertOnly, bool hasKey, bool targetHasRows, ChunkStrategy strategy, LoadMethod expected)
    {
        var (method, reason) = LoadMethodDecision.Decide("public.t", truncateOnStart: false, insertOnly, hasKey, targetHasRows, strategy);

        method.Should().Be(expected);
        reason.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Truncate_onstart_always_copies_even_over_rows_without_a_key()
    {
        LoadMethodDecision.Decide("public.t", truncateOnStart: true, insertOnlyMode: false, hasUniquenessColumns: false, targetHasRows: true, ChunkStrategy.KeyRange)
            .Method.Should().Be(LoadMethod.Copy);
    }

    [Fact]
    public void Rows_in_the_target_without_uniqueness_columns_refuse_to_load_naming_the_table()
    {
        var act = () => LoadMethodDecision.Decide("public.orders", false, false, hasUniquenessColumns: false, targetHasRows: true, ChunkStrategy.KeyRange);

        act.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.TargetNotEmptyWithoutKey && e.Message.Contains("public.orders"));
    }
}
