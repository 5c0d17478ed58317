namespace SnowPgMigration.PowerShell.Models;

/// <summary>The status schema of one database, as Install-SfPgStatusSchema left it.</summary>
public sealed class SfPgStatusSchema
{
    internal SfPgStatusSchema(SfPgConnection connection, bool wasInstalled)
    {
        Connection = connection;
        Database = connection.Database;
        Host = connection.Host;
        WasInstalled = wasInstalled;
    }

    public string Database { get; }

    public string Host { get; }

    public string Schema { get; } = "migration_status";

    /// <summary>True when every table and view existed before; the DDL was applied again all the same (it is idempotent).</summary>
    public bool WasInstalled { get; }

    public SfPgConnection Connection { get; }
}
