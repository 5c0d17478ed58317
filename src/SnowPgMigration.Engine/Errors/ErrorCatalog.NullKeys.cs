namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode NullUniquenessKeys = new(
        "SFPG4110", ErrorKind.InvalidData,
        "Rows to upsert have a NULL uniqueness column",
        "Fill the key in the source, exclude those rows with source_filter (e.g. \"ID IS NOT NULL\"), choose uniqueness_columns that are never NULL, or reload the table with truncate_onstart (binary COPY keeps every row).");
}
