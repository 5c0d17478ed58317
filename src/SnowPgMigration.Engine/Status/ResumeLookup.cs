namespace SnowPgMigration.Engine.Status;

/// <summary>
/// What <see cref="RunStore.FindResumableRunAsync"/> found for a source and config hash: the run
/// to resume, if any, and the unfinished runs that are too old to resume automatically. Callers
/// must not start afresh over <see cref="TooOld"/> runs silently; they name them and let the user
/// choose (resume by id, or start fresh on purpose).
/// </summary>
public sealed record ResumeLookup(RunRecord? Resumable, IReadOnlyList<RunRecord> TooOld)
{
    public static ResumeLookup Nothing { get; } = new(null, []);
}
