namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode ChunkReloadRangeUnavailable = new(
        "SFPG4030", ErrorKind.InvalidOperation,
        "A completed offset page cannot be re-loaded",
        "Offset pages have no value range on the target. Start a fresh run of the table (truncate_onstart) instead, or plan it by chunking_columns so its chunks can be re-loaded.");

    public static readonly ErrorCode ChunkRangeNotOnTarget = new(
        "SFPG4031", ErrorKind.InvalidArgument,
        "A re-loaded chunk's range cannot be expressed on the target",
        "The chunk's key column must be copied to a target column (check column_mapping), or start a fresh run of the table (truncate_onstart).");
}
