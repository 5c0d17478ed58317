using Npgsql;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>A worker whose database session is killed in the middle of a file: nothing of it remains, and the file is loaded once by another worker.</summary>
[Trait("Category", "Fault")]
public sealed class UnloadWorkerKillTests
{
    [Fact]
    public async Task A_session_killed_mid_file_leaves_no_rows_and_another_worker_loads_the_file_once()
    {
        await using var env = await UnloadEnvironment.StartAsync();
        await env.SourceSql("""
            CREATE TABLE wide (id bigint, a text, b text);
            INSERT INTO wide SELECT g, repeat(md5(g::text), 4), repeat(md5((-g)::text), 4) FROM generate_series(1, 200000) g;
            """);
        await env.TargetSql("CREATE TABLE typed (id bigint, a text, b text)");
        var chunk = env.Chunk(UnloadFileFormat.DefaultMaxFileSize * 4);
        var files = await chunk.UnloadAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "SELECT id, a, b FROM wide", CancellationToken.None);
        files.Should().ContainSingle();
        var loader = env.Loader(["id", "a", "b"]);

        var doomed = Task.Run(() => chunk.LoadFilesAsync(loader, env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "doomed-worker", TimeSpan.FromHours(1), CancellationToken.None));
        var killed = await KillWhileCopyingAsync(env.TargetConnection, doomed);

        killed.Should().BeTrue("the worker's session was terminated while its COPY was streaming the file");
        await FluentActions.Awaiting(() => doomed).Should().ThrowAsync<Exception>();
        (await UnloadEnvironment.Scalar<long>(env.TargetConnection, "SELECT count(*) FROM typed")).Should().Be(0);
        var released = (await env.Files.ListFilesAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None)).Single();
        released.Status.Should().Be("pending");

        var rows = await chunk.LoadFilesAsync(loader, env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "second-worker", TimeSpan.FromHours(1), CancellationToken.None);

        rows.Should().Be(200000);
        (await UnloadEnvironment.Scalar<long>(env.TargetConnection, "SELECT count(DISTINCT id) FROM typed")).Should().Be(200000);
        (await chunk.AllLoadedAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None)).Should().BeTrue();
        var file = (await env.Files.ListFilesAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None)).Single();
        file.Should().Match<UnloadedFile>(f => f.Attempts == 2 && f.WorkerId == "second-worker" && f.RowsLoaded == 200000);
    }

    /// <summary>Terminates the backend running the staging COPY as soon as it is seen; false if the load ended first.</summary>
    private static async Task<bool> KillWhileCopyingAsync(string connectionString, Task load)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (!load.IsCompleted)
        {
            await using var command = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY pg_temp.sfpg_unload_stage%' AND state = 'active'",
                connection);
            if (await command.ExecuteScalarAsync() is true)
            {
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }
}
