using System.Management.Automation;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>Turns engine errors into ErrorRecords whose id is the catalogue code.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(SfPgException exception, object? target = null)
    {
        var record = new ErrorRecord(exception, exception.Code, CategoryOf(exception.Error.Kind), target ?? exception.Target)
        {
            ErrorDetails = new ErrorDetails(exception.Message)
            {
                RecommendedAction = exception.RecommendedAction,
            },
        };
        return record;
    }

    public static ErrorCategory CategoryOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.Authentication => ErrorCategory.AuthenticationError,
        ErrorKind.Connection => ErrorCategory.ConnectionError,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.Timeout => ErrorCategory.OperationTimeout,
        ErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };
}
