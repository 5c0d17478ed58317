namespace SnowPgMigration.Engine.Errors;

/// <summary>Findings of <c>sfpg validate --connect</c> / <c>Test-SfPgConfig -Connect</c>: what the config names but the servers lack.</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode ConnectSnowflakeFailed = new(
        "SFPG1080", ErrorKind.Authentication,
        "Snowflake refused the login or the session (account, user, key, role or warehouse)",
        "Check snowflake.account, user, the key (rsa_key) registered for that user, role and warehouse; the message gives Snowflake's own answer.");

    public static readonly ErrorCode ConnectSourceObjectMissing = new(
        "SFPG1081", ErrorKind.ObjectNotFound,
        "A source database, schema or table does not exist in Snowflake, or the role may not read it",
        "Correct the name in the config (unquoted names are upper-cased, as Snowflake stores them), or grant the role USAGE on the database and schema and SELECT on the table.");

    public static readonly ErrorCode ConnectSourceColumnMissing = new(
        "SFPG1082", ErrorKind.ObjectNotFound,
        "A column the config names is not in the Snowflake table",
        "Correct the column name in the config to one of the table's columns listed in the message.");

    public static readonly ErrorCode ConnectTargetFailed = new(
        "SFPG1083", ErrorKind.Connection,
        "Cannot connect to a target PostgreSQL database",
        "Check postgres.host, port, user, password and sslmode, and that target_pg_database exists and the user may connect to it.")
    {
        Transient = false, // a finding of validate --connect, reported once, never retried
    };

    public static readonly ErrorCode ConnectTargetObjectMissing = new(
        "SFPG1084", ErrorKind.ObjectNotFound,
        "A target schema or table does not exist in PostgreSQL",
        "Create the schema or table before the run (the tool loads existing tables, it does not create them), or correct the name in the config.");

    public static readonly ErrorCode ConnectTargetColumnMissing = new(
        "SFPG1085", ErrorKind.ObjectNotFound,
        "A column the config names is not in the PostgreSQL table",
        "Correct the column name in the config (PostgreSQL names keep their case) or add the column to the target table.");

    public static readonly ErrorCode ConnectTargetPrivilegeMissing = new(
        "SFPG1086", ErrorKind.InvalidOperation,
        "The PostgreSQL user lacks a privilege the config needs on a target table",
        "Grant the privilege named in the message to the user (GRANT ... ON TABLE ... TO ...), or make the user the table's owner where indexes are dropped and recreated (disable_index).");

    public static readonly ErrorCode ConnectStatusPrivilegeMissing = new(
        "SFPG1087", ErrorKind.InvalidOperation,
        "The PostgreSQL user cannot create or write the migration_status schema in a target database",
        "Grant CREATE on the database (to create migration_status) or USAGE and CREATE on the existing migration_status schema, or install it once as its owner with 'sfpg install-schema'.");
}
