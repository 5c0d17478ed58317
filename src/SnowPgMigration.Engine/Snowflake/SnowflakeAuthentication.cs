namespace SnowPgMigration.Engine.Snowflake;

/// <summary>How requests authenticate; the value of <c>X-Snowflake-Authorization-Token-Type</c>.</summary>
public enum SnowflakeAuthentication
{
    /// <summary>Key-pair JWT signed with <c>snowflake.rsa_key</c> (<c>KEYPAIR_JWT</c>).</summary>
    KeyPairJwt,

    /// <summary>OAuth access token in <c>snowflake.token</c> (<c>OAUTH</c>).</summary>
    OAuth,

    /// <summary>Programmatic access token in <c>snowflake.token</c> (<c>PROGRAMMATIC_ACCESS_TOKEN</c>).</summary>
    ProgrammaticAccessToken,
}
