using System.Data.Common;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Where the status schema of a migration lives: the target database of a config's source, or a
/// connection string given directly. Hosts (cmdlets, CLI verbs) resolve their connection
/// parameters here, so both address a status database the same way.
/// </summary>
public static class StatusConnection
{
    /// <summary>Application name the status connections report to the server (<c>pg_stat_activity</c>).</summary>
    public const string ApplicationName = "SnowPgMigration.Status";

    /// <summary>
    /// Resolves a request: a connection string wins over a config file. A user name and password
    /// given separately replace those of either.
    /// </summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.StatusConnectionMissing"/> when neither is given; the config's own
    /// codes when it is invalid; <see cref="ErrorCatalog.StatusSourceAmbiguous"/>;
    /// <see cref="ErrorCatalog.StatusConnectionInvalid"/>.
    /// </exception>
    public static StatusTarget Resolve(StatusConnectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrWhiteSpace(request.ConnectionString))
        {
            return FromConnectionString(request.ConnectionString, request.UserName, request.Password);
        }

        if (!string.IsNullOrWhiteSpace(request.ConfigPath))
        {
            var loaded = ConfigLoader.Load(request.ConfigPath, new ConfigLoadOptions
            {
                SourceName = request.SourceName,
                EnvFilePath = request.EnvFilePath,
            });
            return FromConfig(loaded.GetConfigOrThrow(), request.SourceName, request.UserName, request.Password);
        }

        throw new SfPgException(
            ErrorCatalog.StatusConnectionMissing,
            "Name the status database: a config file (and source) or a connection string.",
            target: null,
            recommendedAction: null);
    }

    /// <summary>
    /// The target database of <paramref name="sourceName"/> in <paramref name="config"/>. Without a
    /// source name the config must have one target database (one source, or sources sharing it).
    /// </summary>
    public static StatusTarget FromConfig(MigrationConfig config, string? sourceName, string? userName = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        SourceConfig? source;
        if (!string.IsNullOrWhiteSpace(sourceName))
        {
            source = config.Sources.FirstOrDefault(s => string.Equals(s.SourceName, sourceName, StringComparison.OrdinalIgnoreCase))
                ?? throw new SfPgException(
                    ErrorCatalog.ConfigSourceNotFound,
                    $"Config {config.SourcePath ?? "(in memory)"} has no source '{sourceName}'; its sources are: {SourceNames(config)}.",
                    target: sourceName,
                    recommendedAction: null);
        }
        else
        {
            var databases = config.Sources.Select(s => s.TargetPgDatabase).Distinct(StringComparer.Ordinal).ToList();
            if (databases.Count != 1)
            {
                throw new SfPgException(
                    ErrorCatalog.StatusSourceAmbiguous,
                    $"Config {config.SourcePath ?? "(in memory)"} writes to {databases.Count} databases ({string.Join(", ", databases)}); name the source: {SourceNames(config)}.",
                    target: config.SourcePath,
                    recommendedAction: null);
            }

            source = config.Sources[0];
        }

        var postgres = config.Postgres;
        if (userName is not null)
        {
            postgres = postgres with { User = userName, Password = password };
        }

        var connectionString = TargetConnection.ConnectionString(postgres, source.TargetPgDatabase, ApplicationName);
        return Describe(new NpgsqlConnectionStringBuilder(connectionString), source.SourceName);
    }

    /// <summary>A connection string given directly; <paramref name="userName"/> and <paramref name="password"/> replace its own.</summary>
    public static StatusTarget FromConnectionString(string connectionString, string? userName = null, string? password = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The message of the parser names the keyword, never the value: safe to pass on.
            throw new SfPgException(
                ErrorCatalog.StatusConnectionInvalid,
                $"The connection string is not valid: {ex.Message}",
                target: null,
                recommendedAction: null,
                ex);
        }

        if (userName is not null)
        {
            builder.Username = userName;
            builder.Password = password;
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new SfPgException(
                ErrorCatalog.StatusConnectionInvalid,
                "The connection string names no Host.",
                target: null,
                recommendedAction: null);
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = ApplicationName;
        }

        return Describe(builder, sourceName: null);
    }

    /// <summary>
    /// True for failures to reach or log in to the status database (as opposed to errors the stores
    /// already translate into catalogue codes).
    /// </summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException }
            or PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
                or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections }
            or NpgsqlException { IsTransient: true };

    /// <summary>Wraps a failure to reach <paramref name="target"/> in a catalogue error; the password is never part of it.</summary>
    public static SfPgException Unreachable(StatusTarget target, DbException exception)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(exception);
        return new SfPgException(
            ErrorCatalog.StatusDatabaseUnreachable,
            $"The status database {target.Description} could not be reached: {exception.Message}",
            target: target.Description,
            recommendedAction: null,
            exception);
    }

    private static string SourceNames(MigrationConfig config) =>
        config.Sources.Count == 0 ? "(none)" : string.Join(", ", config.Sources.Select(s => $"{s.SourceName} -> {s.TargetPgDatabase}"));

    private static StatusTarget Describe(NpgsqlConnectionStringBuilder builder, string? sourceName) => new()
    {
        ConnectionString = builder.ConnectionString,
        Host = builder.Host ?? "",
        Port = builder.Port,
        Database = builder.Database ?? builder.Username ?? "",
        UserName = builder.Username,
        SourceName = sourceName,
    };
}
