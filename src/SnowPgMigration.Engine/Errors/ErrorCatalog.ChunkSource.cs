namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode ChunkBoundsUnreadable = new(
        "SFPG4040", ErrorKind.InvalidData,
        "A chunk's stored bounds cannot be turned back into the rows it reads",
        "The chunk's bounds in migration_status.migration_chunk_status were written by an older version or edited. " +
        "Start a fresh run of the table (sfpg migrate --no-resume, or truncate_onstart) so its chunks are planned again.");
}
