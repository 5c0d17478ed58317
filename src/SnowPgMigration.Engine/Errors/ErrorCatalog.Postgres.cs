namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode PostgresServerBinariesMissing = new(
        "SFPG2001", ErrorKind.ResourceUnavailable,
        "PostgreSQL server binaries not found",
        "Install the PostgreSQL server (Debian/Ubuntu: 'apt-get install postgresql'), or set PG_BIN to the folder holding initdb and pg_ctl.");

    public static readonly ErrorCode PostgresClusterStartFailed = new(
        "SFPG2002", ErrorKind.ResourceUnavailable,
        "A local PostgreSQL cluster could not be started",
        "Read the server log named in the message; check free disk space and that the port is not taken.");
}
