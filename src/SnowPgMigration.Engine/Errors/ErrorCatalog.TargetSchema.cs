namespace SnowPgMigration.Engine.Errors;

/// <summary>Creating and evolving target tables from Snowflake's description (create_target, column_types, schema_evolution).</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode ConfigSchemaEvolutionUnknown = new(
        "SFPG1090", ErrorKind.InvalidArgument,
        "schema_evolution has an unknown value",
        "Write \"add_columns\" (add source columns the target lacks), \"widen\" (also widen varchar length and numeric precision) or \"none\".");

    public static readonly ErrorCode ConfigColumnTypeUnknown = new(
        "SFPG1091", ErrorKind.InvalidArgument,
        "column_types names a type the tool cannot create",
        "Use one of: smallint, integer, bigint, numeric(p,s), real, double precision, text, varchar(n), boolean, date, time(p), timestamp(p), timestamptz(p), jsonb, bytea, uuid.");

    public static readonly ErrorCode SubMicrosecondPrecision = new(
        "SFPG2130", ErrorKind.InvalidData,
        "A source time or timestamp keeps more fraction digits than PostgreSQL can",
        "PostgreSQL keeps microseconds (6 digits): set \"truncate_nanoseconds\": true on the table to store the values truncated to microseconds.");

    public static readonly ErrorCode ColumnTypeOverrideUnknownColumn = new(
        "SFPG2131", ErrorKind.InvalidArgument,
        "column_types names a column the source table does not have",
        "Correct the column name in column_types (Snowflake names fold to upper case unless quoted), or remove the entry.");

    public static readonly ErrorCode TargetKeyColumnMissing = new(
        "SFPG2132", ErrorKind.InvalidArgument,
        "uniqueness_columns names a column the created table would not have",
        "Name target columns that come from source columns (after column_mapping) in uniqueness_columns.");

    public static readonly ErrorCode TargetSchemaChangeFailed = new(
        "SFPG2133", ErrorKind.InvalidOperation,
        "Creating or changing the target table failed",
        "Check that the target user may create schemas and tables (CREATE on the database and schema) and alter the table it owns; the message names the statement and PostgreSQL's reason.");
}
