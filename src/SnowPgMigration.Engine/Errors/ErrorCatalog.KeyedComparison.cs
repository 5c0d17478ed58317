namespace SnowPgMigration.Engine.Errors;

/// <summary>Keyed (deep) comparison and delete_missing: runtime codes SFPG4430-4449, config codes SFPG1065-1069.</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode ConfigDeleteMissingWithoutKey = new(
        "SFPG1065", ErrorKind.InvalidArgument,
        "delete_missing needs uniqueness_columns",
        "Set uniqueness_columns to the target's unique key (delete_missing compares keys only), or remove delete_missing; a truncate_onstart table is copied whole and needs no deletes.");

    public static readonly ErrorCode ConfigSoftDeleteColumnMissing = new(
        "SFPG1066", ErrorKind.InvalidArgument,
        "delete_missing \"soft\" needs soft_delete_column",
        "Name a timestamptz column of the target table in soft_delete_column; rows the source no longer has get the detection time there.");

    public static readonly ErrorCode ConfigDeleteMissingInvalid = new(
        "SFPG1067", ErrorKind.InvalidArgument,
        "delete_missing, soft_delete_column or max_delete_ratio has a value that is not allowed",
        "Write delete_missing as \"hard\" or \"soft\", soft_delete_column only with \"soft\", and max_delete_ratio as a number from 0 to 1.");

    public static readonly ErrorCode KeyedOrderDisagrees = new(
        "SFPG4430", ErrorKind.InvalidData,
        "A side returned keys out of the order the comparison merges by",
        "Key columns must order the same way on both sides: numbers, dates, timestamps, and text compared byte-wise (Snowflake's default collation). Remove a collation from the Snowflake key column, or compare a key of another type.");

    public static readonly ErrorCode KeyedKeyNotCopied = new(
        "SFPG4431", ErrorKind.InvalidArgument,
        "A uniqueness column is not filled from the source",
        "Every uniqueness column must be a target column copied from a source column (check column_mapping), so keys can be compared on both sides.");

    public static readonly ErrorCode DeleteMissingRatioExceeded = new(
        "SFPG4432", ErrorKind.InvalidOperation,
        "delete_missing refused: too large a share of the target's rows is gone from the source",
        "Check the source (an emptied or wrongly filtered table looks like mass deletion). If the deletes are meant, raise max_delete_ratio for the table (0 to 1) and run again.");

    public static readonly ErrorCode SoftDeleteColumnUnusable = new(
        "SFPG4433", ErrorKind.InvalidArgument,
        "soft_delete_column is not a timestamptz column of the target table",
        "Add the column (ALTER TABLE ... ADD COLUMN name timestamptz) or name an existing timestamptz column that is not copied from the source.");
}
