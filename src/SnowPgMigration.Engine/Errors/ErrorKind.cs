namespace SnowPgMigration.Engine.Errors;

/// <summary>
/// What kind of failure an error is. Hosts map it to their own vocabulary
/// (PowerShell's ErrorCategory, a CLI exit code) without the engine knowing them.
/// </summary>
public enum ErrorKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    Authentication,
    Connection,
    ResourceUnavailable,
    Timeout,
    OperationStopped,
    InvalidOperation,
}
