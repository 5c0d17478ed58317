namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode PostgresServerBinariesMissing = new(
        "SFPG2001", ErrorKind.ResourceUnavailable,
        "PostgreSQL server binaries not found",
        "Install the PostgreSQL server (Debian/Ubuntu: 'apt-get install postgresql'), or set PG_BIN to the folder holding initdb and pg_ctl.")
    {
        Transient = false,
    };

    public static readonly ErrorCode PostgresClusterStartFailed = new(
        "SFPG2002", ErrorKind.ResourceUnavailable,
        "A local PostgreSQL cluster could not be started",
        "Read the server log named in the message; check free disk space and that the port is not taken.")
    {
        Transient = false,
    };

    public static readonly ErrorCode PostgresTargetUnreachable = new(
        "SFPG2003", ErrorKind.Connection,
        "The PostgreSQL target could not be reached",
        "Check the config's postgres.host and postgres.port (a name that resolves, a server that listens there and accepts connections from this machine), then run again.");

    public static readonly ErrorCode PostgresTargetLoginFailed = new(
        "SFPG2004", ErrorKind.Authentication,
        "The PostgreSQL target refused the login",
        "Give the user's password: postgres.password in the config (as ${POSTGRES_PASSWORD}), -Credential in PowerShell, or PGPASSWORD / a pgpass file; check postgres.user and that pg_hba.conf lets it in from here.");

    public static readonly ErrorCode PostgresTargetDatabaseMissing = new(
        "SFPG2005", ErrorKind.ObjectNotFound,
        "The PostgreSQL target database does not exist",
        "Create the database, or correct target_pg_database of the source in the config.");
}
