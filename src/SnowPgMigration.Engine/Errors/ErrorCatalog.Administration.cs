namespace SnowPgMigration.Engine.Errors;

/// <summary>Administration codes (43xx): reaching a status schema, and outcomes hosts report per table.</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode StatusConnectionMissing = new(
        "SFPG4301", ErrorKind.InvalidArgument,
        "No status database was named",
        "Give -ConfigPath (with -Source when the config has several target databases) or -ConnectionString; in the CLI --config/--source or --connection.");

    public static readonly ErrorCode StatusSourceAmbiguous = new(
        "SFPG4302", ErrorKind.InvalidArgument,
        "The config's sources write to different databases; the source must be named",
        "Add -Source (--source) with one of the source names the message lists.");

    public static readonly ErrorCode TableNotCompleted = new(
        "SFPG4303", ErrorKind.InvalidOperation,
        "A table of the run failed or its rows do not match the source",
        "Read the table's error (Get-SfPgTableStatus, Get-SfPgChunk -Status failed), fix its cause, then resume the run (Resume-SfPgMigration -RunId, sfpg resume --run-id).");

    public static readonly ErrorCode StatusDatabaseUnreachable = new(
        "SFPG4304", ErrorKind.Connection,
        "The status database could not be reached",
        "Check the host, port, database, user and password of the connection (the config's postgres block or the connection string) and that the server accepts connections from here.");

    public static readonly ErrorCode StatusConnectionInvalid = new(
        "SFPG4305", ErrorKind.InvalidArgument,
        "The connection string is not valid",
        "Write it as Npgsql keywords: Host=...;Port=5432;Database=...;Username=...; pass the password with -Credential (--user / PGPASSWORD) rather than in the string.");
}
