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

    public static readonly ErrorCode ColumnMappingColumnMissing = new(
        "SFPG2107", ErrorKind.InvalidArgument,
        "column_mapping names a column the source or target table does not have",
        "Correct the column_mapping entry to name an existing source column and an existing writable target column (PostgreSQL names are case-sensitive), or remove it.");

    public static readonly ErrorCode TargetWatermarkMissing = new(
        "SFPG2108", ErrorKind.InvalidArgument,
        "target_watermark is not a column of the target table",
        "Set target_watermark to the target column that receives source_watermark (names are case-sensitive), or add that column to the target table.");

    public static readonly ErrorCode SourceColumnsClashWhenTruncated = new(
        "SFPG2109", ErrorKind.InvalidArgument,
        "Source columns are the same target column once cut to PostgreSQL's 63 bytes",
        "Map each of the named source columns to its own target column with column_mapping; PostgreSQL keeps only the first 63 bytes of a column name.");
}
