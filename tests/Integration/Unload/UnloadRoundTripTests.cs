using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Unload;
using SnowPgMigration.LocalAzurite;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// A chunk through the stage on real components: the emulated SQL API's COPY INTO writes gzip CSV files into
/// Azurite, workers claim them from the status schema and load them into PostgreSQL. Exactness is judged by a
/// fingerprint computed in SQL on the source and on the target.
/// </summary>
[Trait("Category", "Fault")]
public sealed class UnloadRoundTripTests
{
    private const string Ddl = """
        CREATE TABLE typed (id bigint PRIMARY KEY, n numeric(38,9), f double precision, b boolean, s text, d date, t time,
                            ts timestamp, tstz timestamptz, bin bytea, v jsonb);
        """;

    private const string Rows = """
        INSERT INTO typed VALUES
          (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (2, 99999999999999999999999999999.999999999, 'Infinity', true, '', '0001-01-01', '00:00:00', '2000-02-29 23:59:59.999999', '2024-03-10 02:30:00.000001+05:30', '\x', '{}'),
          (3, -0.000000001, '-Infinity', false, 'quote " comma , newline
        and \N backslash \\ tab	end', '9999-12-31', '23:59:59.999999', '1970-01-01 00:00:00', '1969-12-31 23:59:59.5-08', '\x00ff10', '{"a":[1,2.5,"x\"y"],"b":null,"c":"ü €"}'),
          (4, 0, 'NaN', true, '\N', '2024-02-29', '12:34:56.5', '2024-01-01 12:00:00.123', '2024-06-30 12:00:00+00', '\x5c4e', '[1,"two",{"three":3}]'),
          (5, 12345678901234567890.123456789, 1e-300, false, 'NULL', '2024-07-01', '01:02:03', '2038-01-19 03:14:08', '2262-04-11 23:47:16.854775+00', '\x22', '"just a string"'),
          (6, 1, 0.1, true, '"', '2001-09-09', '01:46:40', '2001-09-09 01:46:40', '2001-09-09 01:46:40+14', '\x2c0a', 'null');
        INSERT INTO typed
        SELECT g, (g * 1234567.123456789)::numeric(38,9), g / 7.0::float8, g % 3 = 0, md5(g::text) || repeat(',', g % 4),
               date '2000-01-01' + g, time '00:00' + g * interval '1.000001 s', timestamp '2020-01-01' + g * interval '1.5 s',
               timestamptz '2020-01-01 00:00+00' + g * interval '1 min 0.000007 s', decode(md5(g::text), 'hex'),
               jsonb_build_object('g', g, 'half', g / 2.0)
        FROM generate_series(7, 3000) g;
        """;

    private const string Select = "SELECT id, n, f, b, s, d, t, ts, tstz, bin, v FROM typed";

    private const string Fingerprint = """
        SELECT count(*) || ':' || md5(coalesce(string_agg(concat_ws('|', id, quote_nullable(n::text), quote_nullable(f::text),
               quote_nullable(b::text), quote_nullable(s), quote_nullable(d::text), quote_nullable(t::text), quote_nullable(ts::text),
               quote_nullable(tstz::text), quote_nullable(encode(bin, 'hex')), quote_nullable(v::text)), E'\n' ORDER BY id), ''))
        FROM typed
        """;

    private static readonly string[] Columns = ["id", "n", "f", "b", "s", "d", "t", "ts", "tstz", "bin", "v"];

    [Fact]
    public async Task Every_type_arrives_exactly_through_files_that_three_workers_share_and_the_files_are_deleted_after()
    {
        await using var env = await PreparedAsync();
        var chunk = env.Chunk(maxFileSize: 48 * 1024);

        var files = await chunk.UnloadAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, Select, CancellationToken.None);
        files.Count.Should().BeGreaterThan(2, "a small MAX_FILE_SIZE splits the chunk into several files");
        files.Sum(f => f.RowCount).Should().Be(3000);
        files.Should().OnlyContain(f => f.FileName.StartsWith($"stage/{env.RunId:N}/typed/0/data_", StringComparison.Ordinal));

        var loader = env.Loader(Columns);
        var loaded = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => Task.Run(() =>
            chunk.LoadFilesAsync(loader, env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, $"worker-{n}", TimeSpan.FromHours(1), CancellationToken.None))));

        loaded.Sum().Should().Be(3000);
        (await chunk.AllLoadedAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None)).Should().BeTrue();
        var after = await env.Files.ListFilesAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None);
        after.Should().OnlyContain(f => f.Status == "completed" && f.Attempts == 1 && f.RowsLoaded == f.RowCount, "each file is applied exactly once");
        (await TargetFingerprint(env)).Should().Be(await SourceFingerprint(env));
        var statusText = await UnloadEnvironment.Scalar<string>(env.TargetConnection,
            "SELECT string_agg(f::text, E'\\n') FROM migration_status.migration_unload_files f");
        statusText.Should().Contain("data_0_0_0.csv.gz").And.NotContain("sig=", "the SAS never reaches status rows");

        await chunk.DeleteFilesAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None);
        (await env.Blobs.ListAsync($"stage/{env.RunId:N}/", CancellationToken.None)).Should().BeEmpty();
        (await UnloadEnvironment.Scalar<long>(env.TargetConnection,
            "SELECT count(*) FROM migration_status.migration_unload_files WHERE deleted_at IS NOT NULL")).Should().Be(files.Count);
    }

    [Fact]
    public async Task A_file_whose_worker_died_is_taken_over_and_the_dead_claim_can_no_longer_commit()
    {
        await using var env = await PreparedAsync();
        var chunk = env.Chunk(UnloadFileFormat.DefaultMaxFileSize);
        var files = await chunk.UnloadAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, Select, CancellationToken.None);
        files.Should().ContainSingle();
        var loader = env.Loader(Columns);
        var dead = (await env.Files.ClaimNextFileAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "dead-worker", TimeSpan.FromHours(1), CancellationToken.None))!;

        // While its claim is fresh, no other worker gets the file; once stale, the next claim takes it over.
        (await env.Files.ClaimNextFileAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "live-worker", TimeSpan.FromHours(1), CancellationToken.None)).Should().BeNull();
        var takeover = await env.Files.ClaimNextFileAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "live-worker", TimeSpan.Zero, CancellationToken.None);
        takeover.Should().NotBeNull();

        var late = await FluentActions.Awaiting(() => loader.LoadAsync(dead, CancellationToken.None)).Should().ThrowAsync<SfPgException>();
        late.Which.Error.Should().Be(ErrorCatalog.UnloadFileClaimLost);
        (await UnloadEnvironment.Scalar<long>(env.TargetConnection, "SELECT count(*) FROM typed")).Should().Be(0, "the dead claim's rows rolled back");

        (await loader.LoadAsync(takeover!, CancellationToken.None)).Should().Be(3000);
        var file = (await env.Files.ListFilesAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None)).Single();
        file.Should().Match<UnloadedFile>(f => f.Status == "completed" && f.WorkerId == "live-worker" && f.Attempts == 2 && f.RowsLoaded == 3000);
        (await TargetFingerprint(env)).Should().Be(await SourceFingerprint(env));
    }

    [Fact]
    public async Task Files_survive_a_storage_restart_between_unload_and_load()
    {
        await using var env = await PreparedAsync();
        var chunk = env.Chunk(maxFileSize: 64 * 1024);
        await chunk.UnloadAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, Select, CancellationToken.None);

        await env.Azurite.RestartAsync();
        var rows = await chunk.LoadFilesAsync(env.Loader(Columns), env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "worker-1", TimeSpan.FromHours(1), CancellationToken.None);

        rows.Should().Be(3000);
        (await TargetFingerprint(env)).Should().Be(await SourceFingerprint(env));
    }

    [Fact]
    public async Task Rows_that_do_not_add_up_to_what_Snowflake_unloaded_fail_the_chunk()
    {
        await using var env = await PreparedAsync();
        var chunk = env.Chunk(UnloadFileFormat.DefaultMaxFileSize);
        await chunk.UnloadAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, Select, CancellationToken.None);
        await chunk.LoadFilesAsync(env.Loader(Columns), env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, "worker-1", TimeSpan.FromHours(1), CancellationToken.None);
        await env.TargetSql("UPDATE migration_status.migration_unload_files SET rows_loaded = rows_loaded - 1");

        var error = await FluentActions.Awaiting(() => chunk.AllLoadedAsync(env.RunId, UnloadEnvironment.Table, UnloadEnvironment.ChunkId, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>();

        error.Which.Error.Should().Be(ErrorCatalog.UnloadRowsDiffer);
        error.Which.Message.Should().Contain("typed chunk 0").And.Contain("2,999 rows loaded").And.Contain("unloaded 3,000");
    }

    private static async Task<UnloadEnvironment> PreparedAsync()
    {
        var env = await UnloadEnvironment.StartAsync();
        await env.SourceSql(Ddl + Rows);
        await env.TargetSql(Ddl);
        return env;
    }

    private static Task<string> SourceFingerprint(UnloadEnvironment env) => UnloadEnvironment.Scalar<string>(env.SourceConnection, Fingerprint);

    private static Task<string> TargetFingerprint(UnloadEnvironment env) => UnloadEnvironment.Scalar<string>(env.TargetConnection, Fingerprint);
}
