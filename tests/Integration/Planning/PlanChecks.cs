using System.Text;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Planning;

namespace SnowPgMigration.Tests.Integration.Planning;

/// <summary>Checks a plan against the real table: exact partition, exact expected counts, chunk sizes.</summary>
internal static class PlanChecks
{
    /// <summary>Actual rows per chunk, and the rows in scope matched by no chunk or by several.</summary>
    public static async Task<(long[] PerChunk, long Misplaced, long Total)> MeasureAsync(string connectionString, string table, TablePlan plan)
    {
        var scope = plan.Scope ?? ChunkPredicates.All;
        var sql = new StringBuilder("SELECT COUNT(*)");
        foreach (var chunk in plan.Chunks)
        {
            sql.Append($", COUNT(*) FILTER (WHERE {chunk.Predicate})");
        }

        var matches = string.Join(" + ", plan.Chunks.Select(c => $"(CASE WHEN {c.Predicate} THEN 1 ELSE 0 END)"));
        sql.Append($", COUNT(*) FILTER (WHERE ({matches}) <> 1) FROM {table} WHERE {scope}");

        await using var connection = await PostgresSourceQuery.OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql.ToString(), connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var perChunk = Enumerable.Range(1, plan.Chunks.Count).Select(i => reader.GetInt64(i)).ToArray();
        return (perChunk, reader.GetInt64(plan.Chunks.Count + 1), reader.GetInt64(0));
    }

    /// <summary>Asserts the coverage invariant and the size bound; returns the measured counts.</summary>
    public static async Task<long[]> AssertPartitionsExactlyAsync(
        string connectionString, string table, TablePlan plan, int batchSize, long largestKeyRows = 0)
    {
        var (perChunk, misplaced, total) = await MeasureAsync(connectionString, table, plan);
        misplaced.Should().Be(0, "every row in scope must match exactly one chunk");
        perChunk.Sum().Should().Be(total);
        plan.ExpectedRows.Should().Be(total, "expected rows per chunk must add up to the source count");
        perChunk.Should().Equal(plan.Chunks.Select(c => c.ExpectedRows), "each chunk's expected rows must be exact");
        var limit = Math.Max((long)(batchSize * 1.1), largestKeyRows + batchSize / 10);
        perChunk.Should().OnlyContain(n => n <= limit, $"no chunk may exceed 1.1 x {batchSize} unless one key alone is larger");
        AssertRebuiltFromBounds(plan);
        return perChunk;
    }

    /// <summary>Every chunk's predicate, rebuilt from its stored bounds alone as a resume does, is the one planned.</summary>
    public static void AssertRebuiltFromBounds(TablePlan plan)
    {
        var table = new TableConfig { Source = plan.SourceTable, Target = "t" };
        var bounds = plan.Chunks.Select(c => ChunkBoundsJson.Write(c.Bounds)).ToList();
        foreach (var chunk in plan.Chunks)
        {
            ChunkSourcePredicate.For(table, chunk.ChunkId, chunk.Strategy.ToName(), bounds[chunk.ChunkId], bounds)
                .Should().Be(chunk.Predicate, $"chunk {chunk.ChunkId} ({bounds[chunk.ChunkId]}) must read the same rows after a resume");
            ChunkSourcePredicate.PageOf(plan.SourceTable, chunk.ChunkId, bounds[chunk.ChunkId])?.OrderBy.Should().Be(chunk.OrderBy);
        }
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = await PostgresSourceQuery.OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }
}
