namespace SnowPgMigration.Engine.Errors;

/// <summary>A table stopped early because one cause failed its chunks in a row.</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode TableStoppedOnSystemicError = new(
        "SFPG4210", ErrorKind.InvalidOperation,
        "A table stopped early: the same error (privilege, missing table or column, login) failed several chunks in a row",
        "Fix the cause the message names (grant the privilege, correct the table or column), then resume the run with the same command: its remaining chunks are still pending and are loaded then.");
}
