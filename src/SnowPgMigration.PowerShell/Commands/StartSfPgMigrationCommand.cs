using System.Management.Automation;
using SnowPgMigration.Engine.Config;
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
    [Alias("Join")]
    public Guid? JoinRunId { get; set; }

    /// <summary>Keeps the unloaded files of "extract": "unload" tables after they are verified, for audit.</summary>
    [Parameter]
    public SwitchParameter KeepFiles { get; set; }

    [Parameter]
    public SwitchParameter DryRun { get; set; }

    /// <summary>Empties the truncate_onstart tables without asking (runbooks, -NonInteractive).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

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

        if (!ShouldProcess(target, "Migrate from Snowflake to PostgreSQL") || !ConfirmTruncation(config))
        {
            return;
        }

        WriteRuns(config, Migrate(config, Options(dryRun: false)));
    }

    /// <summary>
    /// Asks once per table that truncate_onstart would empty (Yes to All / No to All offered); -Force
    /// answers yes. A "no" runs nothing, so the run keeps the config's hash and a later run resumes it.
    /// </summary>
    private bool ConfirmTruncation(MigrationConfig config)
    {
        if (Force)
        {
            return true;
        }

        bool yesToAll = false, noToAll = false;
        foreach (var (source, table) in TablesToEmpty(config, Source, Table))
        {
            var name = $"{source.TargetPgSchema}.{table.Target} in database {source.TargetPgDatabase}";
            bool confirmed;
            try
            {
                confirmed = ShouldContinue(
                    $"Table {name} will be emptied (truncate_onstart) and loaded again from {table.Source} (source {source.SourceName}).",
                    "Empty a target table?",
                    ref yesToAll,
                    ref noToAll);
            }
            catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException)
            {
                // A host that cannot ask (pwsh -NonInteractive, a runbook): refuse rather than empty unasked.
                ThrowEngineError(new SfPgException(ErrorCatalog.TruncateNotConfirmed, $"Table {name} would be emptied (truncate_onstart), and this host cannot ask: nothing was run.", name, null, ex), name);
                return false;
            }

            if (!confirmed)
            {
                WriteEngineError(new SfPgException(ErrorCatalog.TruncateNotConfirmed, $"Emptying table {name} was declined: nothing was run.", name, null), name);
                return false;
            }
        }

        return true;
    }

    /// <summary>The enabled truncate_onstart tables a run with these filters would load.</summary>
    internal static IEnumerable<(SourceConfig Source, TableConfig Table)> TablesToEmpty(MigrationConfig config, string? source, string? table) =>
        from s in config.Sources
        where s.Enabled && SourceSelection.Includes(source, s.SourceName)
        from t in s.Tables
        where t.Enabled && t.TruncateOnStart && (table is null || string.Equals(t.Target, table, StringComparison.OrdinalIgnoreCase))
        select (s, t);

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
        BuildOptions(Source, Table, NoResume.IsPresent, ResumeMaxAge, JoinRunId, MaxDuration, ThrottleLimit, dryRun) with { KeepFiles = KeepFiles.IsPresent };

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
