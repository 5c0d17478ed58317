using System.Data.Common;
using System.Management.Automation;
using System.Net;
using System.Security;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>What Test-SfPgTable, Find-SfPgGap and Repair-SfPgTable share: the config with its secrets, and engine errors as catalogue errors.</summary>
public abstract class SfPgVerificationCmdlet : SfPgCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SourceNameCompleter))]
    public string? Source { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EnvFile { get; set; }

    /// <summary>User and password of the PostgreSQL target.</summary>
    [Parameter]
    [Alias("PostgresCredential")]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SecureString? SnowflakePrivateKeyPassphrase { get; set; }

    /// <summary>The config (terminating on any error in it) with the secret parameters applied.</summary>
    internal MigrationConfig LoadConfig(string configPath, string? source)
    {
        var loaded = ConfigLoader.Load(configPath, new ConfigLoadOptions { SourceName = source, EnvFilePath = ResolvePath(EnvFile) });
        foreach (var warning in loaded.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        try
        {
            return SfPgMigrationCmdlet.ApplySecrets(
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

    /// <summary>Runs an engine call with its events drained here; an engine error terminates with its catalogue id.</summary>
    internal T Engine<T>(MigrationConfig config, object target, Func<Engine.Reporting.IEngineReporter, CancellationToken, Task<T>> work)
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
            ThrowEngineError(failure, failure.Target);
            throw;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
