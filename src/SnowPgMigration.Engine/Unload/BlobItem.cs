namespace SnowPgMigration.Engine.Unload;

/// <summary>One blob of a listing: its full name in the container and its size in bytes.</summary>
public sealed record BlobItem(string Name, long Size);
