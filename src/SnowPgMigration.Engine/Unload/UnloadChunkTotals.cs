namespace SnowPgMigration.Engine.Unload;

/// <summary>A chunk's files: how many, how many loaded, and the rows Snowflake reported against the rows loaded.</summary>
public sealed record UnloadChunkTotals(int Files, int FilesCompleted, long RowsUnloaded, long RowsLoaded)
{
    public bool AllLoaded => Files == FilesCompleted;
}
