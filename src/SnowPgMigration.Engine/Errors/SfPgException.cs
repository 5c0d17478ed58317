namespace SnowPgMigration.Engine.Errors;

/// <summary>
/// An engine failure with a catalogue code. Messages never carry secrets: whoever throws
/// names the setting or object at fault, never its secret value.
/// </summary>
public class SfPgException : Exception
{
    public SfPgException(ErrorCode error, string message, Exception? innerException = null)
        : this(error, message, target: null, recommendedAction: null, innerException)
    {
    }

    public SfPgException(
        ErrorCode error,
        string message,
        string? target,
        string? recommendedAction,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Target = target;
        RecommendedAction = recommendedAction ?? error.RecommendedAction;
    }

    /// <summary>The catalogue entry.</summary>
    public ErrorCode Error { get; }

    /// <summary>The catalogue code, e.g. <c>SFPG3001</c>.</summary>
    public string Code => Error.Code;

    /// <summary>What the error is about: a config path, a table, a chunk, a statement handle.</summary>
    public string? Target { get; }

    /// <summary>What the user should do about it.</summary>
    public string RecommendedAction { get; }
}
