using System.Management.Automation;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Resume-SfPgMigration: resumes one unfinished run by id, whatever its age; runs come from the pipeline by property name.</summary>
[Cmdlet(VerbsLifecycle.Resume, "SfPgMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SfPgRun))]
public sealed class ResumeSfPgMigrationCommand : SfPgMigrationCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Guid RunId { get; set; }

    /// <summary>Resume even when the config differs from the run's, and re-plan tables a newer run has loaded since.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"run {RunId}{(Source is null ? "" : $" of source {Source}")}", "Resume migration"))
        {
            return;
        }

        var config = LoadConfig();
        WriteRuns(config, Migrate(config, BuildOptions(RunId, Source, Table, MaxDuration, ThrottleLimit, Force.IsPresent)));
    }

    internal static MigrationOptions BuildOptions(Guid runId, string? source, string? table, TimeSpan? maxDuration, int? throttleLimit, bool force = false) => new()
    {
        Force = force,
        Source = source,
        Table = table,
        ResumeRunId = runId,
        MaxDuration = maxDuration,
        ThrottleLimit = throttleLimit,
    };
}
