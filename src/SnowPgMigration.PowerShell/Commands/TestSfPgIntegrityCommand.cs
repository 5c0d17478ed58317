using System.Management.Automation;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Test-SfPgIntegrity: duplicate and NULL keys, NULL watermarks and orphaned foreign keys of the config's target
/// tables, one object per table and check; a table that cannot be checked is a non-terminating error.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SfPgIntegrity")]
[OutputType(typeof(SfPgIntegrityFinding))]
public sealed class TestSfPgIntegrityCommand : SfPgVerificationCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    protected override void ProcessRecord()
    {
        var path = ResolvePath(ConfigPath)!;
        var config = LoadConfig(path, Source);
        var options = new IntegrityOptions { Source = Source, Table = Table };
        var reports = CallEngine(config, Table ?? Source ?? path, (reporter, cancellationToken) => new IntegrityChecker(config, options, reporter).CheckAsync(cancellationToken));
        foreach (var report in reports)
        {
            if (report.Error is not null)
            {
                WriteEngineError(report.Error, report.Table);
                continue;
            }

            foreach (var finding in report.Findings)
            {
                WriteObject(SfPgIntegrityFinding.From(finding, path));
            }
        }
    }
}
