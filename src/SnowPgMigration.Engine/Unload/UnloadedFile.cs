namespace SnowPgMigration.Engine.Unload;

/// <summary>One file a chunk's unload wrote, as recorded in <c>migration_unload_files</c>.</summary>
public sealed record UnloadedFile(
    Guid RunId, string Table, int ChunkId, string FileName, long FileSize, long RowCount, string Status, int Attempts, string? WorkerId, long? RowsLoaded);
