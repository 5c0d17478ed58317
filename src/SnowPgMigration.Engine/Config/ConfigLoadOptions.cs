namespace SnowPgMigration.Engine.Config;

/// <summary>How <see cref="ConfigLoader"/> reads a config.</summary>
public sealed record ConfigLoadOptions
{
    /// <summary>
    /// The .env file to read variables from. When null, the config's own <c>env_file</c> setting is used,
    /// and failing that a <c>.env</c> beside the config file if one exists.
    /// </summary>
    public string? EnvFilePath { get; init; }

    /// <summary>The source a run is asked for; it must exist, and the config hash then covers only it.</summary>
    public string? SourceName { get; init; }

    /// <summary>
    /// Reads process environment variables; variables set here win over the .env file.
    /// Defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.
    /// </summary>
    public Func<string, string?> EnvironmentVariables { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Reads (and decrypts) the Snowflake private key while validating, so a missing file, text that is not a
    /// key, a wrong passphrase or a non-RSA key is a finding on <c>snowflake.rsa_key</c> before any run.
    /// </summary>
    public bool CheckPrivateKey { get; init; }
}
