namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// A source value the target column would store differently (rounded, cut, narrowed). PostgreSQL
/// does some of this silently, so the conversion refuses it; the writer names table, column and value.
/// </summary>
public sealed class ValueNarrowingException : OverflowException
{
    public ValueNarrowingException()
    {
    }

    public ValueNarrowingException(string message)
        : base(message)
    {
    }

    public ValueNarrowingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
