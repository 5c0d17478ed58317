using System.Management.Automation;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.PowerShell.Completion;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>What Test-SfPgTable and Find-SfPgGap share: which tables to compare, how deep, and the comparison itself.</summary>
public abstract class SfPgTableComparisonCmdlet : SfPgVerificationCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    /// <summary>Narrows each differing range down to keys: exact counts of missing, extra and changed rows with their first keys.</summary>
    [Parameter]
    public SwitchParameter Deep { get; set; }

    /// <summary>The selected tables compared with their source, with the resolved config path their objects carry.</summary>
    internal (string ConfigPath, IReadOnlyList<RangeComparison> Tables) Compare()
    {
        var path = ResolvePath(ConfigPath)!;
        var config = LoadConfig(path, Source);
        var tables = CallEngine(config, Table ?? Source ?? path, (reporter, cancellationToken) =>
            new TargetVerifier(config, reporter).VerifyAsync(new VerifyRequest { Source = Source, Table = Table, Deep = Deep.IsPresent }, cancellationToken));
        return (path, tables);
    }
}
