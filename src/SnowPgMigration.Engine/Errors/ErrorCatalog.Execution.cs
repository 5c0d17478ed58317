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
}
