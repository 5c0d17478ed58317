namespace SnowPgMigration.Engine.Snowflake;

/// <summary>An OAuth access token or a programmatic access token, sent as configured.</summary>
internal sealed class StaticTokenSource(SnowflakeAuthentication authentication, string token) : SnowflakeTokenSource
{
    public override SnowflakeAuthentication Authentication => authentication;

    public override string GetToken() => token;

    public override string RejectionHint => authentication == SnowflakeAuthentication.OAuth
        ? "Check snowflake.token (an OAuth access token that has not expired) and snowflake.authenticator (OAUTH), and that snowflake.account names the account that issued it."
        : "Check snowflake.token (a programmatic access token that has not expired or been revoked; the user may need a network policy) and snowflake.authenticator (PROGRAMMATIC_ACCESS_TOKEN).";
}
