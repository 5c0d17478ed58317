using System.Management.Automation;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Test-SfPgTable: compares each table with its source, range by range, and writes one object per table.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SfPgTable")]
[OutputType(typeof(SfPgTableVerification))]
public sealed class TestSfPgTableCommand : SfPgTableComparisonCmdlet
{
    protected override void ProcessRecord()
    {
        var (path, tables) = Compare();
        foreach (var table in tables)
        {
            WriteObject(SfPgTableVerification.From(table, path));
        }
    }
}
