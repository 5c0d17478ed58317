using System.Management.Automation;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Find-SfPgGap: writes one object per range of a table that differs from its source, for Repair-SfPgTable.</summary>
[Cmdlet(VerbsCommon.Find, "SfPgGap")]
[OutputType(typeof(SfPgGap))]
public sealed class FindSfPgGapCommand : SfPgTableComparisonCmdlet
{
    protected override void ProcessRecord()
    {
        var (path, tables) = Compare();
        foreach (var table in tables)
        {
            foreach (var range in table.DifferingRanges)
            {
                WriteObject(SfPgGap.From(table, range, path));
            }
        }
    }
}
