using System.Management.Automation;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Find-SfPgGap: writes one object per range of a table that differs from its source, for Repair-SfPgTable.</summary>
[Cmdlet(VerbsCommon.Find, "SfPgGap")]
[OutputType(typeof(SfPgGap))]
public sealed class FindSfPgGapCommand : SfPgVerificationCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    /// <summary>Narrows each differing range down to keys: exact counts of missing, extra and changed rows with their first keys.</summary>
    [Parameter]
    public SwitchParameter Deep { get; set; }

    protected override void ProcessRecord()
    {
        var path = ResolvePath(ConfigPath)!;
        var config = LoadConfig(path, Source);
        var tables = Engine(config, Table ?? Source ?? path, (reporter, cancellationToken) =>
            new TargetVerifier(config, reporter).VerifyAsync(new VerifyRequest { Source = Source, Table = Table, Deep = Deep.IsPresent }, cancellationToken));
        foreach (var table in tables)
        {
            foreach (var range in table.DifferingRanges)
            {
                WriteObject(SfPgGap.From(table, range, path));
            }
        }
    }
}
