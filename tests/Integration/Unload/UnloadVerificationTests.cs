using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// A table loaded through unloaded files is judged by the same comparison the SQL API path uses
/// (<see cref="RangeComparer"/>): counts and checksums read back from both sides.
/// </summary>
[Trait("Category", "Fault")]
public sealed class UnloadVerificationTests
{
    [Fact]
    public async Task The_range_comparison_agrees_after_an_unload_load_and_names_a_row_lost_afterwards()
    {
        await using var env = await UnloadEnvironment.StartAsync();
        await env.SourceSql("""
            CREATE SCHEMA "PUBLIC";
            CREATE TABLE "PUBLIC"."TYPED" ("ID" bigint, "AMOUNT" numeric(38,3), "NOTE" text);
            INSERT INTO "PUBLIC"."TYPED" SELECT g, g * 1.125, CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 1000) g;
            """);
        await env.TargetSql("CREATE TABLE typed (id bigint, amount numeric(38,3), note text)");
        var chunk = env.Chunk(maxFileSize: 8 * 1024);
        await chunk.UnloadAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, """SELECT "ID", "AMOUNT", "NOTE" FROM "PUBLIC"."TYPED" """, CancellationToken.None);
        await chunk.LoadFilesAsync(env.Loader(["id", "amount", "note"]), env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "worker-1", TimeSpan.FromHours(1), CancellationToken.None);
        (await chunk.AllLoadedAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None)).Should().BeTrue();

        var source = new SourceConfig
        {
            SourceName = "unload", SourceSfDatabase = env.SourceDatabase, SourceSfSchema = "PUBLIC",
            TargetPgDatabase = "", TargetPgSchema = "public",
        };
        var table = new TableConfig { Source = "TYPED", Target = "typed", Extract = ExtractMethod.Unload };
        var comparer = new RangeComparer(env.Source, env.Target);
        RangeBounds[] whole = [new(0, ChunkStrategy.SingleChunk.ToName(), null)];

        var agreed = (await comparer.CompareAsync(source, table, whole, VerifyDepth.Checksums, rangesFromRun: null, CancellationToken.None)).Ranges.Single();
        agreed.SourceRows.Should().Be(1000);
        agreed.TargetRows.Should().Be(1000);
        agreed.TargetChecksum.Should().NotBeNull().And.Be(agreed.SourceChecksum);

        await env.TargetSql("DELETE FROM typed WHERE id = 500");
        var differing = (await comparer.CompareAsync(source, table, whole, VerifyDepth.Checksums, rangesFromRun: null, CancellationToken.None)).Ranges.Single();
        differing.TargetRows.Should().Be(999);
        differing.TargetChecksum.Should().NotBe(differing.SourceChecksum);
    }
}
