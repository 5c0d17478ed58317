namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// An error answer in Snowflake's shape: HTTP status, Snowflake's six-digit code, its message and
/// SQL state. Bodies carry <c>code</c>, <c>message</c>, <c>sqlState</c>, <c>statementHandle</c> in the
/// order the live service writes them; authentication errors carry only code and message.
/// </summary>
internal sealed record SnowflakeError(int HttpStatus, string Code, string Message, string? SqlState, bool HasHandle = true)
{
    public static SnowflakeError EmptyStatement { get; } =
        new(400, "000900", "SQL compilation error:\nEmpty SQL statement.", "42601");

    public static SnowflakeError InvalidPayload { get; } =
        new(400, "390142", "Incoming request does not contain a valid payload.", null, HasHandle: false);

    public static SnowflakeError Canceled { get; } =
        new(422, "000604", "SQL execution canceled", "57014");

    public static SnowflakeError MissingToken { get; } =
        new(400, "390146", "Missing token in the Authorization header.", null, HasHandle: false);

    public static SnowflakeError TooManyRequests { get; } =
        new(429, "390505", "Too many requests.", null, HasHandle: false);

    public static SnowflakeError NotFound(string handle) =>
        new(400, "000709", $"Statement {handle} not found", "02000");

    public static SnowflakeError InvalidPartition(int lastPartition, string given) =>
        new(400, "391922", $"Invalid partition parameter. The partition must be long type parsable and between 0 and {lastPartition}, but '{given}' is specified.", "22023");

    public static SnowflakeError StatementCountMismatch(int actual, int desired) =>
        new(422, "000008", $"Actual statement count {actual} did not match the desired statement count {desired}.", "0A000");

    public static SnowflakeError NotSupported(string command) =>
        new(422, "391911", $"Command not supported by SQL API: {command}", "0A000");

    public static SnowflakeError Timeout(long seconds) =>
        new(408, "000630", $"Statement reached its statement or warehouse timeout of {seconds} second(s) and was canceled.", "57014");

    public static SnowflakeError InvalidJwt(string reason) =>
        new(401, "390144", $"JWT token is invalid. {reason}", null, HasHandle: false);

    public static SnowflakeError InvalidOAuthToken { get; } =
        new(401, "390303", "Invalid OAuth access token. ", null, HasHandle: false);
}
