namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode TruncateNotConfirmed = new(
        "SFPG5901", ErrorKind.OperationStopped,
        "Emptying a target table was not confirmed",
        "Answer the question for each table with truncate_onstart, or pass -Force (needed where nothing can ask, as in runbooks and pwsh -NonInteractive); to keep the table's rows, set truncate_onstart to false.");
}
