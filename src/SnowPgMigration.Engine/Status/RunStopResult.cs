namespace SnowPgMigration.Engine.Status;

/// <summary>What stopping a run did: its status before, the run now, and whether anything changed.</summary>
public sealed record RunStopResult(RunStatus PreviousStatus, RunRecord Run, bool Changed);
