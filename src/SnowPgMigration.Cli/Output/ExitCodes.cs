using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Cli.Output;

/// <summary>
/// The exit codes of every verb. 0 and 2 mean the same everywhere; 1 is the verb's own "no": a run that did not
/// complete, a table that differs, an integrity finding, a status change refused, an invalid config.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The verb worked and its answer is no (see the verb's help).</summary>
    public const int No = 1;

    /// <summary>Bad input: an option, a config, a missing table or database; nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>A run stopped at its deadline (partial): the same command resumes it.</summary>
    public const int Partial = 3;

    /// <summary>A run was cancelled (by an administrator's stop or the caller's cancellation): the same command resumes it.</summary>
    public const int Cancelled = 4;

    /// <summary>The run's verdict could not be written: the record still says running until the next command corrects it.</summary>
    public const int VerdictNotRecorded = 5;

    /// <summary>An engine error of a verb that reads or copies tables: a refusal or bad input is 2, anything else (a failure on the way) is 1.</summary>
    public static int OfEngineError(SfPgException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Error == ErrorCatalog.RunStatusNotPersisted ? VerdictNotRecorded
            : exception.Error.Kind is ErrorKind.InvalidArgument or ErrorKind.ObjectNotFound or ErrorKind.InvalidOperation ? BadInput
            : No;
    }

    /// <summary>
    /// An engine error of a status verb: the item not found or the change refused is 1 (the verb's "no"); a missing
    /// status schema and everything else is 2, since no status database could answer.
    /// </summary>
    public static int OfStatusError(SfPgException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Error.Kind is ErrorKind.ObjectNotFound or ErrorKind.InvalidOperation && exception.Error != ErrorCatalog.StatusSchemaMissing ? No : BadInput;
    }
}
