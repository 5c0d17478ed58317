using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// A failure talking to Snowflake. Besides the catalogue code it carries what Snowflake said:
/// its own error code (<c>002003</c>), SQL state, the statement handle and the HTTP status.
/// The message never holds a token, key or passphrase.
/// </summary>
public sealed class SnowflakeException : SfPgException
{
    public SnowflakeException(
        ErrorCode error,
        string message,
        string? snowflakeCode = null,
        string? sqlState = null,
        string? statementHandle = null,
        int? httpStatus = null,
        string? recommendedAction = null,
        Exception? innerException = null)
        : base(error, message, statementHandle, recommendedAction, innerException)
    {
        SnowflakeCode = snowflakeCode;
        SqlState = sqlState;
        StatementHandle = statementHandle;
        HttpStatus = httpStatus;
    }

    /// <summary>Snowflake's error code, e.g. <c>001003</c> or <c>390144</c>; null when the answer had none.</summary>
    public string? SnowflakeCode { get; }

    /// <summary>The SQL state, e.g. <c>42S02</c>; null when Snowflake sent none.</summary>
    public string? SqlState { get; }

    /// <summary>The statement handle (query id) for Snowflake's query history; null when unknown.</summary>
    public string? StatementHandle { get; }

    /// <summary>The HTTP status of the answer; null when no answer came.</summary>
    public int? HttpStatus { get; }

    /// <summary>
    /// True when trying again may succeed: the catalogue code is transient (overload, network, a canceled
    /// statement), or Snowflake no longer knows the statement (<c>000709</c>: its results expired or its server
    /// restarted), so submitting it again runs it afresh.
    /// </summary>
    public bool IsTransient => Error.Transient || SnowflakeCode == StatementNotFoundCode;

    /// <summary>Snowflake's code for a statement handle it no longer knows.</summary>
    internal const string StatementNotFoundCode = "000709";
}
