using System.Data.Common;
using System.Management.Automation;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Test-SfPgIntegrity: duplicate and NULL keys, NULL watermarks and orphaned foreign keys of the config's target
/// tables, one object per table and check; a table that cannot be checked is a non-terminating error.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SfPgIntegrity")]
[OutputType(typeof(SfPgIntegrityFinding))]
public sealed class TestSfPgIntegrityCommand : SfPgCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SourceNameCompleter))]
    public string? Source { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EnvFile { get; set; }

    /// <summary>User and password of the PostgreSQL target, replacing the config's.</summary>
    [Parameter]
    [Alias("PostgresCredential")]
    public PSCredential? Credential { get; set; }

    protected override void ProcessRecord()
    {
        var loaded = ConfigLoader.Load(ResolvePath(ConfigPath)!, new ConfigLoadOptions { SourceName = Source, EnvFilePath = ResolvePath(EnvFile) });
        foreach (var warning in loaded.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        MigrationConfig config;
        IReadOnlyList<IntegrityTableReport> reports;
        try
        {
            config = SfPgMigrationCmdlet.ApplySecrets(
                loaded.GetConfigOrThrow(), SfPgStatusCmdlet.CredentialUser(Credential), SfPgStatusCmdlet.CredentialPassword(Credential), keyPassphrase: null);
            var options = new IntegrityOptions { Source = Source, Table = Table };
            reports = RunEngine((reporter, cancellationToken) => new IntegrityChecker(config, options, reporter).CheckAsync(cancellationToken));
        }
        catch (SfPgException ex)
        {
            ThrowEngineError(ex, Table ?? Source ?? ConfigPath);
            throw;
        }
        catch (DbException ex) when (TargetConnectionFailure.From(ex, loaded.Config!.Postgres) is { } failure)
        {
            ThrowEngineError(failure, failure.Target);
            throw;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }

        foreach (var report in reports)
        {
            if (report.Error is not null)
            {
                WriteEngineError(report.Error, report.Table);
                continue;
            }

            foreach (var finding in report.Findings)
            {
                WriteObject(SfPgIntegrityFinding.From(finding));
            }
        }
    }
}
