namespace SnowPgMigration.Engine.Errors;

/// <summary>
/// The integrity check of the target (Test-SfPgIntegrity, <c>sfpg integrity</c>): the config's <c>references</c>
/// block (SFPG107x) and tables or columns the check cannot read (SFPG445x). Duplicates, NULL keys and orphans
/// themselves are findings, not errors.
/// </summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode ConfigReferenceTableUnknown = new(
        "SFPG1070", ErrorKind.InvalidArgument,
        "A reference names a table the source does not configure",
        "Set 'table' to the target (or source) name of another table of the same source, as listed in the message.");

    public static readonly ErrorCode ConfigReferenceColumnsMismatch = new(
        "SFPG1071", ErrorKind.InvalidArgument,
        "A reference's columns do not pair with the referenced columns",
        "Give referenced_columns one column for each of 'columns', in the same order (without it, the referenced table's uniqueness_columns are used).");

    public static readonly ErrorCode IntegrityTableMissing = new(
        "SFPG4450", ErrorKind.ObjectNotFound,
        "A table to check does not exist in the target",
        "Run the migration of the table first, or correct 'target' / target_pg_schema in the config.");

    public static readonly ErrorCode IntegrityColumnMissing = new(
        "SFPG4451", ErrorKind.InvalidArgument,
        "A column the config names is not in the target table",
        "Correct the setting named in the message (uniqueness_columns, target_watermark or references) to a column the target table has; names are case-sensitive.");

    public static readonly ErrorCode IntegrityNothingToCheck = new(
        "SFPG4452", ErrorKind.InvalidArgument,
        "No configured table matches the source and table asked for",
        "Check --source / -Source and --table / -Table against the config's source_name and target or source table names.");

    public static readonly ErrorCode IntegrityColumnsNotComparable = new(
        "SFPG4453", ErrorKind.InvalidArgument,
        "A relationship's columns cannot be compared with the referenced columns",
        "Pair columns of comparable types in references (or alter the target columns), then check again.");
}
