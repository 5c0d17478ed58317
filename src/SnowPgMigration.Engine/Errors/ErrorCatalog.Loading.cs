namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode ValueConversionFailed = new(
        "SFPG2101", ErrorKind.InvalidData,
        "A source value cannot be converted to the target column's type",
        "Change the target column's type to one that holds the source values, or fix the source data; the message names the table, column and value.");

    public static readonly ErrorCode TargetTableMissing = new(
        "SFPG2102", ErrorKind.ObjectNotFound,
        "The target table does not exist",
        "Create the target table in PostgreSQL (the tool copies data, not schema), or correct 'target' / 'target_pg_schema' in the config.");

    public static readonly ErrorCode TargetColumnTypeUnsupported = new(
        "SFPG2103", ErrorKind.InvalidData,
        "A target column's type cannot be loaded",
        "Use a supported column type (numbers, text, boolean, uuid, bytea, date, time, timestamp[tz], json[b]) or leave the column out of the source.");

    public static readonly ErrorCode UniqueKeyMissing = new(
        "SFPG2104", ErrorKind.InvalidArgument,
        "Upsert needs a unique index on the uniqueness columns",
        "Create a unique index or primary key on the target over exactly the uniqueness_columns, or set truncate_onstart for a full reload.");

    public static readonly ErrorCode NoMatchingColumns = new(
        "SFPG2105", ErrorKind.InvalidArgument,
        "No source column matches a target column",
        "Check the target table's column names (case matters) or add a column_mapping.");

    public static readonly ErrorCode TargetNotEmptyWithoutKey = new(
        "SFPG2106", ErrorKind.InvalidOperation,
        "The target already has rows and the table has no uniqueness columns",
        "Set truncate_onstart to reload the table, or configure uniqueness_columns (with a unique index) so rows are upserted instead of duplicated.");
}
