using System.Management.Automation;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Start-SfPgMigration: copies the config's tables, resuming an unfinished run of the same config by
/// default. -WhatIf (or -DryRun) plans every table and writes the plan instead.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SfPgMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SfPgRun))]
[OutputType(typeof(SfPgPlan))]
public sealed class StartSfPgMigrationCommand : SfPgMigrationCmdlet
{
    [Parameter]
    public SwitchParameter NoResume { get; set; }

    [Parameter]
    public TimeSpan ResumeMaxAge { get; set; } = MigrationOptions.DefaultResumeMaxAge;

    [Parameter]
    public Guid? JoinRunId { get; set; }

    [Parameter]
    public SwitchParameter DryRun { get; set; }

    protected override void EndProcessing()
    {
        var config = LoadConfig();
        var whatIf = IsWhatIf();
        var target = $"{ConfigPath}{(Source is null ? "" : $", source {Source}")}{(Table is null ? "" : $", table {Table}")}";
        if (DryRun || whatIf)
        {
            if (whatIf)
            {
                ShouldProcess(target, "Migrate (planning only: the plan is written, nothing is copied)");
            }

            var plan = Migrate(config, Options(dryRun: true));
            foreach (var table in plan.DryRun)
            {
                var planned = SfPgPlan.From(table);
                WriteObject(planned);
                if (PlanningError(planned) is { } error)
                {
                    // The plan object keeps the reason; the error record makes $? false and -ErrorAction apply.
                    WriteEngineError(error, planned);
                }
            }

            return;
        }

        if (!ShouldProcess(target, "Migrate from Snowflake to PostgreSQL"))
        {
            return;
        }

        WriteRuns(config, Migrate(config, Options(dryRun: false)));
    }

    /// <summary>The catalogue error of a table that could not be planned (its Error reads "SFPGnnnn: message").</summary>
    internal static SfPgException? PlanningError(SfPgPlan plan)
    {
        if (string.IsNullOrEmpty(plan.Error))
        {
            return null;
        }

        var code = plan.Error.Split(':', 2)[0].Trim();
        return new SfPgException(
            ErrorCatalog.Find(code) ?? ErrorCatalog.TableNotCompleted,
            $"Source {plan.Source}: table {plan.Table} ({plan.SourceTable}) cannot be planned: {plan.Error}",
            target: plan.Table,
            recommendedAction: null);
    }

    private MigrationOptions Options(bool dryRun) =>
        BuildOptions(Source, Table, NoResume.IsPresent, ResumeMaxAge, JoinRunId, MaxDuration, ThrottleLimit, dryRun);

    internal static MigrationOptions BuildOptions(
        string? source, string? table, bool noResume, TimeSpan resumeMaxAge, Guid? joinRunId, TimeSpan? maxDuration, int? throttleLimit, bool dryRun) => new()
    {
        Source = source,
        Table = table,
        NoResume = noResume,
        ResumeMaxAge = resumeMaxAge > TimeSpan.Zero ? resumeMaxAge : MigrationOptions.DefaultResumeMaxAge,
        JoinRunId = joinRunId,
        MaxDuration = maxDuration,
        ThrottleLimit = throttleLimit,
        DryRun = dryRun,
    };
}
