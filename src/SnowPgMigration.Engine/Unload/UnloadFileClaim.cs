namespace SnowPgMigration.Engine.Unload;

/// <summary>A file claimed by one worker; only the current claim may complete it.</summary>
public sealed record UnloadFileClaim(UnloadedFile File, Guid ClaimId, string WorkerId);
