using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class DiagnosticScriptTests
{
    [Fact]
    public async Task The_psql_diagnosis_names_stale_runs_failed_chunks_and_unrestored_indexes()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var stuck = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(stuck.RunId, "orders", "crashed-host:4242:1", CancellationToken.None))!;
        var failing = (await db.Store.Chunks.ClaimNextChunkAsync(stuck.RunId, "orders", "w2", CancellationToken.None))!;
        await db.Store.Chunks.MarkChunkFailedAsync(failing, "invalid input syntax for type uuid: \"n/a\"", CancellationToken.None);
        await db.Store.IndexBackups.SaveAsync(stuck.RunId,
            [new IndexDefinition("public", "orders", IndexObjectKind.Index, "orders_customer_idx", "CREATE INDEX orders_customer_idx ON public.orders (customer)")],
            CancellationToken.None);
        await db.Store.IndexBackups.MarkDroppedAsync(
            (await db.Store.IndexBackups.ListAsync(stuck.RunId, null, null, true, CancellationToken.None))[0], null, CancellationToken.None);
        await db.ExecuteAsync(
            "UPDATE migration_status.migration_runs SET heartbeat_at = now() - interval '2 hours'; " +
            "UPDATE migration_status.migration_chunk_status SET heartbeat_at = now() - interval '2 hours' WHERE chunk_id = @id",
            ("id", claim.ChunkId));

        var (exitCode, output, errors) = await Psql.RunScriptAsync(db.ConnectionString, "sql/diagnose_stuck_migration.sql", "-v", "stale_minutes=30");

        errors.Should().BeEmpty();
        exitCode.Should().Be(0);
        var staleRuns = Section(output, "== 2.");
        staleRuns.Should().Contain(stuck.RunId.ToString()).And.Contain("(1 row)");
        Section(output, "== 5.").Should().Contain("crashed-host:4242:1");
        Section(output, "== 6.").Should().Contain("invalid input syntax for type uuid");
        Section(output, "== 7.").Should().Contain("invalid input syntax for type uuid");
        Section(output, "== 9.").Should().Contain("CREATE INDEX orders_customer_idx");
    }

    private static string Section(string output, string heading)
    {
        var start = output.IndexOf(heading, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the output has section {heading}");
        var end = output.IndexOf("== ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? output[start..] : output[start..end];
    }
}
