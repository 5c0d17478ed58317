using System.Data.Common;
using System.Management.Automation;
using System.Net;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that read or repair a status schema. The database is named by
/// <c>-ConfigPath</c> (+ <c>-Source</c>), by <c>-ConnectionString</c> (+ <c>-Credential</c>), or by the
/// <c>Connection</c> of an object from the pipeline - in that order.
/// </summary>
public abstract class SfPgStatusCmdlet : SfPgCmdlet
{
    private readonly Dictionary<string, StatusStore> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SfPgConnection> _connections = new(StringComparer.Ordinal);

    /// <summary>Parameter set: the status database is a config source's target database.</summary>
    public const string ConfigSet = "Config";

    /// <summary>Parameter set: the status database is named by a connection string.</summary>
    public const string ConnectionStringSet = "ConnectionString";

    /// <summary>Parameter set: the status database comes with the objects from the pipeline.</summary>
    public const string PipelineSet = "Connection";

    /// <summary>The config.json whose source's target database holds the status schema.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConfigSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>The config source (source_name) whose target database to use; a filter where the cmdlet filters by source.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SourceNameCompleter))]
    public string? Source { get; set; }

    /// <summary>The .env file with the variables the config uses.</summary>
    [Parameter(ParameterSetName = ConfigSet)]
    [ValidateNotNullOrEmpty]
    public string? EnvFile { get; set; }

    /// <summary>An Npgsql connection string of the status database (no password: use -Credential).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    /// <summary>User and password for the status database; replaces the config's or the connection string's.</summary>
    [Parameter(ParameterSetName = ConfigSet)]
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Alias("PostgresCredential")]
    public PSCredential? Credential { get; set; }

    /// <summary>The status database of an object from the pipeline (bound by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PipelineSet)]
    [SfPgConnectionTransformation]
    public SfPgConnection? Connection { get; set; }

    /// <summary>What the connection parameters ask for, paths resolved against the current location.</summary>
    private StatusConnectionRequest ConnectionRequest() => new()
    {
        ConfigPath = ResolvePath(ConfigPath),
        SourceName = Source,
        EnvFilePath = ResolvePath(EnvFile),
        ConnectionString = ConnectionString,
        UserName = CredentialUser(Credential),
        Password = CredentialPassword(Credential),
    };

    /// <summary>
    /// The status database for the current item: explicit parameters first, else the piped object's
    /// connection. Resolving is cached, so a config is read once per source, not once per item.
    /// </summary>
    protected SfPgConnection ResolveConnection()
    {
        if (string.IsNullOrWhiteSpace(ConfigPath) && string.IsNullOrWhiteSpace(ConnectionString) && Connection is not null)
        {
            return Connection;
        }

        var request = ConnectionRequest();
        var key = string.Join('\u001f', request.ConfigPath, request.SourceName, request.EnvFilePath, request.ConnectionString, request.UserName);
        if (!_connections.TryGetValue(key, out var connection))
        {
            connection = new SfPgConnection(StatusConnection.Resolve(request));
            _connections[key] = connection;
        }

        return connection;
    }

    /// <summary>
    /// Runs one status call for the current item against <paramref name="connection"/>, translating a
    /// database that cannot be reached into its catalogue error.
    /// </summary>
    protected T CallStatus<T>(SfPgConnection connection, Func<StatusStore, CancellationToken, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_stores.TryGetValue(connection.Target.ConnectionString, out var store))
        {
            store = StatusStore.Create(connection.Target.ConnectionString);
            _stores[connection.Target.ConnectionString] = store;
        }

        try
        {
            return RunEngine((_, cancellationToken) => call(store, cancellationToken));
        }
        catch (DbException ex) when (StatusConnection.IsUnreachable(ex))
        {
            throw StatusConnection.Unreachable(connection.Target, ex);
        }
    }

    /// <summary>
    /// Runs the work for one pipeline item. Problems with that item (not found, refused) are
    /// non-terminating; a connection or schema that is not there stops the pipeline, so later items
    /// do not fail the same way one by one.
    /// </summary>
    protected void ForItem(object? target, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            work();
        }
        catch (SfPgException ex) when (IsItemError(ex))
        {
            WriteEngineError(ex, target);
        }
        catch (SfPgException ex)
        {
            ThrowEngineError(ex, target);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            // Stopped by the user: the pipeline is ending anyway.
        }
    }

    internal static bool IsItemError(SfPgException exception) =>
        exception.Error.Kind is ErrorKind.ObjectNotFound or ErrorKind.InvalidOperation
        && exception.Error != ErrorCatalog.StatusSchemaMissing;

    internal static string? CredentialUser(PSCredential? credential) =>
        string.IsNullOrEmpty(credential?.UserName) ? null : credential.UserName.TrimStart('\\');

    internal static string? CredentialPassword(PSCredential? credential) =>
        string.IsNullOrEmpty(credential?.UserName) || credential.Password is null
            ? null
            : new NetworkCredential(string.Empty, credential.Password).Password;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var store in _stores.Values)
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            _stores.Clear();
        }

        base.Dispose(disposing);
    }
}
