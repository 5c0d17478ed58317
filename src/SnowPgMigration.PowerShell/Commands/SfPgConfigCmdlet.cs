using System.Data.Common;
using System.Management.Automation;
using System.Net;
using System.Security;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// What every cmdlet that works from a config.json shares (the migration cmdlets and the verification cmdlets): the
/// config's source, .env file and secret parameters, loading the config with them, and an engine call whose errors
/// terminate as catalogue errors.
/// </summary>
public abstract class SfPgConfigCmdlet : SfPgCmdlet
{
    /// <summary>The config.json. Each kind of cmdlet declares it, because only the verification cmdlets bind it from the pipeline.</summary>
    public abstract string ConfigPath { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SourceNameCompleter))]
    public string? Source { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EnvFile { get; set; }

    /// <summary>User and password of the PostgreSQL target; -Credential on every cmdlet, -PostgresCredential its older name.</summary>
    [Parameter]
    [Alias("PostgresCredential")]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SecureString? SnowflakePrivateKeyPassphrase { get; set; }

    /// <summary>The config at <paramref name="configPath"/> (terminating on any error in it) with the secret parameters applied.</summary>
    internal MigrationConfig LoadConfig(string configPath, string? source)
    {
        var loaded = ConfigLoader.Load(configPath, new ConfigLoadOptions { SourceName = source, EnvFilePath = ResolvePath(EnvFile) });
        foreach (var warning in loaded.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        try
        {
            return ApplySecrets(
                loaded.GetConfigOrThrow(),
                SfPgStatusCmdlet.CredentialUser(Credential),
                SfPgStatusCmdlet.CredentialPassword(Credential),
                SnowflakePrivateKeyPassphrase is null ? null : new NetworkCredential(string.Empty, SnowflakePrivateKeyPassphrase).Password);
        }
        catch (SfPgException ex)
        {
            ThrowEngineError(ex, configPath);
            throw;
        }
    }

    /// <summary>Secrets given as parameters replace the config's; they never leave the config record.</summary>
    internal static MigrationConfig ApplySecrets(MigrationConfig config, string? postgresUser, string? postgresPassword, string? keyPassphrase)
    {
        if (postgresUser is not null)
        {
            config = config with { Postgres = config.Postgres with { User = postgresUser, Password = postgresPassword } };
        }

        if (keyPassphrase is not null)
        {
            config = config with { Snowflake = config.Snowflake with { RsaKeyPassphrase = keyPassphrase } };
        }

        return config;
    }

    /// <summary>Runs an engine call with its events drained here; an engine error terminates with its catalogue id.</summary>
    internal T CallEngine<T>(MigrationConfig config, object? target, Func<IEngineReporter, CancellationToken, Task<T>> work)
    {
        try
        {
            return RunEngine(work);
        }
        catch (SfPgException ex)
        {
            ThrowEngineError(ex, target);
            throw;
        }
        catch (DbException ex) when (TargetConnectionFailure.From(ex, config.Postgres) is { } failure)
        {
            // Reaching or logging in to the target: its catalogue error naming postgres.host and port, not Npgsql's.
            ThrowEngineError(failure, failure.Target);
            throw;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: a migration recorded its run as cancelled (resumable); PowerShell ends the pipeline quietly.
            throw new PipelineStoppedException();
        }
    }
}
