namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode ResumeWindowExpired = new(
        "SFPG4201", ErrorKind.InvalidOperation,
        "An unfinished run is older than the resume window",
        "Resume it by id (--resume-run-id / Resume-SfPgMigration -RunId), or start fresh with --no-resume / -NoResume.");

    public static readonly ErrorCode JoinRefused = new(
        "SFPG4202", ErrorKind.InvalidOperation,
        "The run to join is not running",
        "Join only a run that is running (Get-SfPgRun -Status running); resume a stopped run instead.");

    public static readonly ErrorCode NothingToMigrate = new(
        "SFPG4203", ErrorKind.InvalidArgument,
        "No enabled table matches the request",
        "Check --source / --table against the config (sfpg validate), and that the tables are enabled.");

    public static readonly ErrorCode RunOwnedByLiveProcess = new(
        "SFPG4204", ErrorKind.InvalidOperation,
        "The run is owned by another live process",
        "Share its chunks with --join <run id> (Start-SfPgMigration -JoinRunId), wait for it to finish, or stop it with sfpg stop-run (Stop-SfPgRun) first.");

    public static readonly ErrorCode DeadlineShorterThanBuffer = new(
        "SFPG4205", ErrorKind.InvalidArgument,
        "The maximum duration leaves no time to claim a chunk",
        "Give --max-duration (-MaxDuration) more than deadline_buffer_seconds, or lower deadline_buffer_seconds in the config.");

    public static readonly ErrorCode ResumeConfigChanged = new(
        "SFPG4206", ErrorKind.InvalidOperation,
        "The config differs from the one the run was started with",
        "Resume with the config the run was started with, start a fresh run with --no-resume (-NoResume), or accept the differences with --force (-Force).");

    public static readonly ErrorCode TableLoadedByAnotherRun = new(
        "SFPG4207", ErrorKind.InvalidOperation,
        "Another live run is loading this target table",
        "Wait for that run to finish, join it (--join / -JoinRunId), or stop it (sfpg stop-run / Stop-SfPgRun); one run at a time loads a table.");

    public static readonly ErrorCode TableSupersededByNewerRun = new(
        "SFPG4208", ErrorKind.InvalidOperation,
        "A newer run has loaded this table since the run was planned",
        "Nothing is lost: the newer run's load stands. Leave this run (it is superseded), or re-plan the table inside it with --force (-Force): truncate_onstart tables are truncated again, keyed tables are upserted.");

    public static readonly ErrorCode RunNoLongerOwned = new(
        "SFPG4209", ErrorKind.OperationStopped,
        "The run was removed or taken over while this process worked on it",
        "Check Get-SfPgRun (sfpg runs): another process owns the run now, or its record was deleted. Start a new run if needed.");
}
