using Npgsql;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The status schema of one target database: its runs, tables, chunks, index backups and
/// administration, over one <see cref="NpgsqlDataSource"/>.
/// </summary>
/// <example>
/// <code>
/// await using var store = StatusStore.Create(connectionString);
/// await store.InstallSchemaAsync(cancellationToken);
/// var run = await store.Runs.CreateRunAsync(new NewRun { SourceName = "analytics", ConfigHash = hash }, cancellationToken);
/// </code>
/// </example>
public sealed class StatusStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _ownedDataSource;

    /// <summary>Uses a data source the caller owns and disposes.</summary>
    /// <param name="transientRetry">
    /// How long each status statement keeps trying through transient failures (a restart, a full server): a
    /// running migration rides them out; an administrator's query should fail at once (the default, zero).
    /// </param>
    /// <param name="onRetry">Told of each transient failure that is retried, and the wait before the next try.</param>
    public StatusStore(NpgsqlDataSource dataSource, TimeSpan transientRetry = default, Action<Exception, TimeSpan>? onRetry = null)
        : this(dataSource, owned: false, transientRetry, onRetry)
    {
    }

    private StatusStore(NpgsqlDataSource dataSource, bool owned, TimeSpan transientRetry = default, Action<Exception, TimeSpan>? onRetry = null)
    {
        var database = new StatusDatabase(dataSource, transientRetry, onRetry);
        DataSource = dataSource;
        _ownedDataSource = owned ? dataSource : null;
        Runs = new RunStore(database);
        Tables = new TableStatusStore(database);
        Chunks = new ChunkStore(database);
        IndexBackups = new IndexBackupStore(database);
        Loaders = new TableLoaderStore(database);
        Administration = new StatusAdministration(database);
    }

    /// <summary>A store over its own data source for <paramref name="connectionString"/>, disposed with the store.</summary>
    public static StatusStore Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return new StatusStore(NpgsqlDataSource.Create(connectionString), owned: true);
    }

    public NpgsqlDataSource DataSource { get; }

    public RunStore Runs { get; }

    public TableStatusStore Tables { get; }

    public ChunkStore Chunks { get; }

    public IndexBackupStore IndexBackups { get; }

    public TableLoaderStore Loaders { get; }

    public StatusAdministration Administration { get; }

    /// <summary>Installs or updates the status schema (<see cref="StatusSchema.ApplyAsync(NpgsqlDataSource, CancellationToken)"/>).</summary>
    public Task InstallSchemaAsync(CancellationToken cancellationToken) => StatusSchema.ApplyAsync(DataSource, cancellationToken);

    /// <summary>Whether every status table and view exists; for hosts that must not touch the data source's type.</summary>
    public Task<bool> IsSchemaInstalledAsync(CancellationToken cancellationToken) => StatusSchema.IsInstalledAsync(DataSource, cancellationToken);

    /// <summary>Renames the older tool's status tables aside and installs ours (<see cref="StatusSchema.UpgradeLegacyAsync"/>); with <paramref name="apply"/> false, only lists the renames.</summary>
    public Task<IReadOnlyList<string>> UpgradeLegacySchemaAsync(bool apply, CancellationToken cancellationToken) =>
        StatusSchema.UpgradeLegacyAsync(DataSource, apply, cancellationToken);

    public ValueTask DisposeAsync() => _ownedDataSource?.DisposeAsync() ?? ValueTask.CompletedTask;
}
