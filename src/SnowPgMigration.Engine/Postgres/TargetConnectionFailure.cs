using System.Net.Sockets;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Turns a failure to reach or log in to the PostgreSQL target into its catalogue error, naming the
/// config settings to check (postgres.host, port, user) and never the password. Hosts (the cmdlets,
/// sfpg) call it where a run fails before it could record anything.
/// </summary>
public static class TargetConnectionFailure
{
    /// <summary>The catalogue error for <paramref name="exception"/>, or null when it is not a connection or login failure.</summary>
    public static SfPgException? From(Exception exception, PostgresSettings postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var where = $"postgres.host {postgres.Host}, port {postgres.Port}, user {postgres.User ?? "(none)"}";
        var (code, reason) = exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } pg =>
                (ErrorCatalog.PostgresTargetLoginFailed, pg.MessageText),
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } pg => (ErrorCatalog.PostgresTargetDatabaseMissing, pg.MessageText),
            PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections } pg =>
                (ErrorCatalog.PostgresTargetUnreachable, pg.MessageText),
            PostgresException => (null, null),
            // Npgsql refuses before asking the server: no password for a server that wants one.
            NpgsqlException { InnerException: null } npgsql when npgsql.Message.Contains("password", StringComparison.OrdinalIgnoreCase) =>
                (ErrorCatalog.PostgresTargetLoginFailed, npgsql.Message),
            NpgsqlException { InnerException: SocketException socket } => (ErrorCatalog.PostgresTargetUnreachable, socket.Message),
            NpgsqlException { InnerException: TimeoutException or IOException } npgsql => (ErrorCatalog.PostgresTargetUnreachable, npgsql.InnerException!.Message),
            SocketException socket => (ErrorCatalog.PostgresTargetUnreachable, socket.Message),
            _ => ((ErrorCode?)null, (string?)null),
        };
        return code is null
            ? null
            : new SfPgException(code, $"{code.Title}: {where}: {reason}", target: $"{postgres.Host}:{postgres.Port}", recommendedAction: null, exception);
    }
}
