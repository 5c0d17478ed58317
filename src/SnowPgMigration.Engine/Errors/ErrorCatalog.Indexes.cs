namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode IndexRestoreFailed = new(
        "SFPG4020", ErrorKind.InvalidOperation,
        "A saved index or constraint could not be recreated after the load",
        "Fix what blocks it (for a unique index or key: remove the duplicate rows the error names), then resume the run: it restores " +
        "the definitions still kept in migration_status.migration_index_backup. Until then the table runs without them.");

    public static readonly ErrorCode StopWaitExpired = new(
        "SFPG4021", ErrorKind.InvalidOperation,
        "The run did not finish recording its stop in time",
        "Check the run with Get-SfPgRun / sfpg runs: if it still says running, its heartbeat goes stale and the next run resumes it " +
        "and restores any index it dropped.");
}
