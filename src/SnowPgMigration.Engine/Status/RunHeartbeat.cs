namespace SnowPgMigration.Engine.Status;

/// <summary>A run's status as its heartbeat found it, and whether the beating process still owns it.</summary>
public sealed record RunHeartbeat(RunStatus Status, bool Owned);
