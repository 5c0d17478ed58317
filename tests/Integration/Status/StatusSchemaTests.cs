using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class StatusSchemaTests
{
    private static readonly string[] StatusObjects =
    [
        "migration_runs", "migration_table_status", "migration_chunk_status", "migration_index_backup", "migration_table_loader", "migration_unload_files", "migration_unload_folders",
        "v_active_migrations", "v_table_progress",
    ];

    [Fact]
    public async Task Engine_applies_the_schema_twice_and_keeps_the_data()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.Store.Runs.CreateRunAsync(new NewRun { SourceName = "s", ConfigHash = "h" }, CancellationToken.None);

        await db.Store.InstallSchemaAsync(CancellationToken.None);
        await db.Store.InstallSchemaAsync(CancellationToken.None);

        (await StatusSchema.IsInstalledAsync(db.Store.DataSource, CancellationToken.None)).Should().BeTrue();
        (await ExistingObjectsAsync(db)).Should().BeEquivalentTo(StatusObjects);
        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None)).Should().NotBeNull();
    }

    [Fact]
    public async Task Concurrent_installs_from_separate_connections_all_succeed()
    {
        await using var db = await StatusTestDatabase.CreateAsync(installSchema: false);
        (await StatusSchema.IsInstalledAsync(db.Store.DataSource, CancellationToken.None)).Should().BeFalse();

        // Each install opens its own connection from the pool; without the advisory lock two
        // concurrent CREATE ... IF NOT EXISTS collide on the catalog's unique indexes.
        var installs = Enumerable.Range(0, 6)
            .Select(_ => Task.Run(() => StatusSchema.ApplyAsync(db.Store.DataSource, CancellationToken.None)))
            .ToArray();
        await Task.WhenAll(installs);

        (await ExistingObjectsAsync(db)).Should().BeEquivalentTo(StatusObjects);
    }

    [Fact]
    public async Task Psql_applies_the_script_twice_and_the_engine_after_it()
    {
        await using var db = await StatusTestDatabase.CreateAsync(installSchema: false);
        const string script = "sql/migration_status_schema.sql";
        File.ReadAllText(RepositoryFiles.Path(script)).Should().Be(StatusSchema.Sql, "the engine embeds the very file psql users run");

        foreach (var arguments in new[] { Array.Empty<string>(), [], ["--single-transaction"], ["--single-transaction"] })
        {
            var (exitCode, _, errors) = await Psql.RunScriptAsync(db.ConnectionString, script, arguments);
            errors.Should().NotContain("ERROR");
            exitCode.Should().Be(0);
        }

        await db.Store.InstallSchemaAsync(CancellationToken.None);

        (await ExistingObjectsAsync(db)).Should().BeEquivalentTo(StatusObjects);
    }

    [Theory]
    [InlineData("INSERT INTO migration_status.migration_runs (run_id, source_name, config_hash, status) VALUES (gen_random_uuid(), 's', 'h', 'done')")]
    [InlineData("UPDATE migration_status.migration_table_status SET status = 'finished'")]
    [InlineData("UPDATE migration_status.migration_chunk_status SET status = 'running'")]
    [InlineData("UPDATE migration_status.migration_runs SET status = 'in_progress'")]
    public async Task Check_constraints_reject_a_status_outside_the_lists(string sql)
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        await db.CreateRunWithChunksAsync();

        var act = () => db.ExecuteAsync(sql);

        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.CheckViolation);
    }

    [Fact]
    public async Task Every_enum_value_is_accepted_by_the_check_constraints()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync();

        foreach (var status in Enum.GetValues<RunStatus>())
        {
            await db.ExecuteAsync("UPDATE migration_status.migration_runs SET status = @s", ("s", StatusText.ToText(status)));
        }

        foreach (var status in Enum.GetValues<ProgressStatus>())
        {
            await db.ExecuteAsync("UPDATE migration_status.migration_table_status SET status = @s", ("s", StatusText.ToText(status)));
            await db.ExecuteAsync("UPDATE migration_status.migration_chunk_status SET status = @s", ("s", StatusText.ToText(status)));
        }

        (await db.ScalarAsync<string>("SELECT status FROM migration_status.migration_chunk_status LIMIT 1")).Should().Be("incomplete");
        run.Should().NotBeNull();
    }

    [Fact]
    public async Task Administration_without_the_schema_names_the_fix()
    {
        await using var db = await StatusTestDatabase.CreateAsync(installSchema: false);

        var act = () => db.Store.Administration.ListRunsAsync(new RunQuery(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SfPgException>()).Which;
        error.Error.Should().Be(ErrorCatalog.StatusSchemaMissing);
        error.Message.Should().Contain(new NpgsqlConnectionStringBuilder(db.ConnectionString).Database);
        error.RecommendedAction.Should().Contain("Install-SfPgStatusSchema");
    }

    private static async Task<List<string>> ExistingObjectsAsync(StatusTestDatabase db)
    {
        await using var command = db.Store.DataSource.CreateCommand(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = 'migration_status' AND c.relkind IN ('r', 'v') ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
