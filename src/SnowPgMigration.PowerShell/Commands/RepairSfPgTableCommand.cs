using System.Globalization;
using System.Management.Automation;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Repair-SfPgTable: re-loads exactly the ranges of a table that differ from its source (all of them, or those piped
/// in from Find-SfPgGap), each in one transaction, as a run of kind 'repair'. -WhatIf names the ranges and row counts.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "SfPgTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SfPgRepair))]
public sealed class RepairSfPgTableCommand : SfPgVerificationCmdlet
{
    private readonly List<(string ConfigPath, string? Source, string Table, RangeBounds? Range, VerifyDepth? Depth)> _requests = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    /// <summary>A range's chunk strategy, from a gap object (with <see cref="Bounds"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Strategy { get; set; }

    /// <summary>A range's bounds, from a gap object: only the ranges piped in are repaired.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Bounds { get; set; }

    /// <summary>Compare by counts or checksums instead of the table's verify setting; a gap found by checksums brings its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("counts", "checksums")]
    public string? Method { get; set; }

    [Parameter]
    public SwitchParameter DeleteExtra { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double MaxDeleteRatio { get; set; } = RepairRequest.DefaultMaxDeleteRatio;

    protected override void ProcessRecord() =>
        _requests.Add((ResolvePath(ConfigPath)!, Source, Table, Strategy is null ? null : new RangeBounds(0, Strategy, Bounds),
            VerifyDepthNames.TryParse(Method, out var depth) ? depth : null));

    protected override void EndProcessing()
    {
        foreach (var group in _requests.GroupBy(r => (r.ConfigPath, r.Source, Table: r.Table.ToUpperInvariant())))
        {
            var (path, source, table) = (group.Key.ConfigPath, group.Key.Source, group.First().Table);
            var ranges = group.All(r => r.Range is null) ? null : group.Where(r => r.Range is not null).Select(r => r.Range!).ToList();
            var config = LoadConfig(path, source);
            var request = new RepairRequest
            {
                Source = source, Table = table, Ranges = ranges, Depth = group.Max(r => r.Depth), DeleteExtra = DeleteExtra, MaxDeleteRatio = MaxDeleteRatio, DryRun = true,
            };
            var planned = CallEngine(config, table, (reporter, cancellationToken) => new TableRepairer(config, reporter).RepairAsync(request, cancellationToken));
            foreach (var plan in planned)
            {
                if (plan.Reloaded.Count == 0)
                {
                    WriteVerbose($"{plan.Table}: no range to re-load ({plan.Before.Describe()}).");
                    WriteObject(SfPgRepair.From(plan, path));
                    continue;
                }

                var action = string.Create(CultureInfo.InvariantCulture,
                    $"Re-load {plan.Reloaded.Count} range(s), deleting {plan.Reloaded.Sum(r => r.TargetRows):N0} target row(s) and copying {plan.Reloaded.Sum(r => r.SourceRows):N0} source row(s): ") +
                    string.Join("; ", plan.Reloaded.Select(r => string.Create(CultureInfo.InvariantCulture,
                        $"range {r.RangeId} {r.TargetPredicate} (source {r.SourceRows:N0}, target {r.TargetRows:N0})")));
                if (!ShouldProcess($"{plan.Table} (source {plan.SourceName})", action))
                {
                    continue;
                }

                var repair = request with { DryRun = false, Source = plan.SourceName };
                foreach (var done in CallEngine(config, table, (reporter, cancellationToken) => new TableRepairer(config, reporter).RepairAsync(repair, cancellationToken)))
                {
                    WriteObject(SfPgRepair.From(done, path));
                }
            }
        }
    }
}
