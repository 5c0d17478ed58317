namespace SnowPgMigration.Engine.Unload;

/// <summary>A run's stage folder of a table (its azure:// URL, never a SAS) that was emptied or left, and why.</summary>
public sealed record UnloadLeftover(Guid RunId, string Folder, string Reason);
