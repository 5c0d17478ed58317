namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode SnowflakeAuthenticationFailed = new(
        "SFPG3001", ErrorKind.Authentication,
        "Snowflake rejected the credentials",
        "Check the snowflake settings the message names (rsa_key and rsa_key_passphrase, user, account, role, token, authenticator).");

    public static readonly ErrorCode SnowflakeStatementFailed = new(
        "SFPG3002", ErrorKind.InvalidOperation,
        "A Snowflake statement failed",
        "Read Snowflake's code and message; fix the table, column, source_filter or privilege it names.");

    public static readonly ErrorCode SnowflakeStatementTimedOut = new(
        "SFPG3003", ErrorKind.Timeout,
        "A Snowflake statement reached its timeout and was canceled",
        "Raise snowflake.statement_timeout_seconds (and the warehouse's STATEMENT_TIMEOUT_IN_SECONDS), or use smaller chunks.")
    {
        // The same statement on the same warehouse meets the same limit: a setting has to change.
        Transient = false,
    };

    public static readonly ErrorCode SnowflakeStatementCanceled = new(
        "SFPG3004", ErrorKind.OperationStopped,
        "A Snowflake statement was canceled",
        "Run again; if nothing here canceled it, ask the Snowflake administrator who did.")
    {
        Transient = true,
    };

    public static readonly ErrorCode SnowflakeRequestRejected = new(
        "SFPG3005", ErrorKind.InvalidArgument,
        "Snowflake rejected the request",
        "Read Snowflake's code and message; check snowflake.host, port and scheme point at a Snowflake SQL API.");

    public static readonly ErrorCode SnowflakeUnavailable = new(
        "SFPG3006", ErrorKind.ResourceUnavailable,
        "Snowflake could not be reached or stayed overloaded",
        "Check the network path to the account URL (snowflake.account or snowflake.host/port/scheme) and retry later.");

    public static readonly ErrorCode SnowflakeResponseInvalid = new(
        "SFPG3007", ErrorKind.InvalidData,
        "A Snowflake response could not be read",
        "Check that snowflake.host points at a Snowflake SQL API v2 endpoint and that no session sets *_OUTPUT_FORMAT parameters.");

    public static readonly ErrorCode SnowflakePrivateKeyInvalid = new(
        "SFPG3008", ErrorKind.InvalidArgument,
        "The Snowflake private key could not be loaded",
        "Set snowflake.rsa_key to an RSA private key in PEM form (PKCS#1, PKCS#8 or encrypted PKCS#8) or the path of such a file; set rsa_key_passphrase for an encrypted key.");

    public static readonly ErrorCode SnowflakeSettingsInvalid = new(
        "SFPG3009", ErrorKind.InvalidArgument,
        "The snowflake settings are incomplete or inconsistent",
        "Fix the snowflake setting the message names.");

    public static readonly ErrorCode SnowflakeKeyFileNotFound = new(
        "SFPG3015", ErrorKind.ObjectNotFound,
        "The Snowflake private key file named by snowflake.rsa_key does not exist or cannot be read",
        "Set snowflake.rsa_key to the path of an existing PEM key file readable by this account, or to the key text itself (PEM, PEM with literal \\n, or the bare base64 body).");

    public static readonly ErrorCode SnowflakeKeyNotAKey = new(
        "SFPG3016", ErrorKind.InvalidData,
        "snowflake.rsa_key holds text that is not a private key",
        "Give the RSA private key itself (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY, or its base64 body), not a public key, certificate or truncated text.");

    public static readonly ErrorCode SnowflakeKeyPassphrase = new(
        "SFPG3017", ErrorKind.Authentication,
        "snowflake.rsa_key is encrypted and snowflake.rsa_key_passphrase is missing or does not decrypt it",
        "Set snowflake.rsa_key_passphrase (from the environment or .env file) to the passphrase the key was encrypted with.");

    public static readonly ErrorCode SnowflakeKeyNotRsa = new(
        "SFPG3018", ErrorKind.InvalidArgument,
        "snowflake.rsa_key is a private key of another algorithm than RSA",
        "Generate an RSA key (openssl genrsa 2048 | openssl pkcs8 -topk8 ...), register its public key with ALTER USER ... SET RSA_PUBLIC_KEY, and point snowflake.rsa_key at it.");

    public static readonly ErrorCode SnowflakeUnreachable = new(
        "SFPG3010", ErrorKind.Connection,
        "Snowflake could not be reached at all",
        "Check snowflake.account (and host, port and scheme when set), DNS and the network path from this machine; the run stopped at its first statement.")
    {
        // Never answered at all: a wrong account or host, not a passing outage.
        Transient = false,
    };
}
