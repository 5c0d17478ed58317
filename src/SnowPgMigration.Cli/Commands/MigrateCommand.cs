using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg migrate</c> and <c>sfpg resume</c>: run the migration of a config file. Exit code 0 only when
/// every run completed (for a dry run: every table could be planned), 1 otherwise, 2 for bad input,
/// 3 partial (deadline), 4 cancelled, 5 verdict not recorded (see <see cref="ExitCodes"/>),
/// 130 / 143 when SIGINT / SIGTERM stopped it (after the run was recorded cancelled).
/// </summary>
internal static class MigrateCommand
{
    /// <summary>A year: an unfinished run older than that is history, not work to pick up.</summary>
    private static readonly TimeSpan MaxResumeAge = TimeSpan.FromDays(365);

    /// <summary>Thirty days: longer than any run the deadline is meant to bound.</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Command CreateMigrate() => Create("migrate", "Copy the config's tables from Snowflake into PostgreSQL (resuming an unfinished run by default).", resume: false);

    public static Command CreateResume() => Create("resume", "Resume one unfinished run by id, whatever its age.", resume: true);

    private static Command Create(string name, string description, bool resume)
    {
        var configOptions = new ConfigOptions(sourceHelp: "Only this source (source_name), or several separated by commas: --source sales,finance.");
        var source = configOptions.Source;
        var table = CliOptions.Table();
        var noResume = new Option<bool>("--no-resume") { Description = "Start a fresh run even when an unfinished one could be resumed." };
        var resumeMaxAge = new DurationOption(
            "--resume-max-age", "How old an unfinished run may be and still be resumed automatically.", DurationUnit.Hours,
            TimeSpan.Zero, MaxResumeAge, defaultValue: MigrationOptions.DefaultResumeMaxAge);
        var runId = new Option<Guid?>("--resume-run-id") { Description = "Resume this run, whatever its age.", Required = resume };
        if (resume)
        {
            runId.Aliases.Add("--run-id");
        }

        var join = new Option<Guid?>("--join") { Description = "Join this running run from another process and share its chunks (and, for unload tables, their files)." };
        var keepFiles = new Option<bool>("--keep-files") { Description = "Keep the unloaded files of \"extract\": \"unload\" tables after they are verified, for audit." };
        var maxDuration = new DurationOption(
            "--max-duration", "How long the run may take; it stops claiming chunks deadline_buffer_seconds before, and ends 'partial' (resumable).",
            DurationUnit.Minutes, TimeSpan.Zero, MaxDuration);
        var threads = new Option<int?>("--threads", "--throttle-limit") { Description = "Workers per table, overriding parallel_threads." };
        var dryRun = CliOptions.DryRun("Plan every table and print the plan; write nothing to the target.");
        var json = CliOptions.Json("Print the run summary (or the dry-run plan with its chunks) as JSON on stdout.");
        var verbose = CliOptions.Verbose("Show every chunk as it commits.");
        var logFormat = CliOptions.LogFormat();
        var force = new Option<bool>("--force")
        {
            Description = "Resume even when the config differs from the run's (the differences are listed without it), and re-plan a table a newer run has loaded since.",
        };

        var command = new Command(name, description);
        configOptions.AddTo(command);
        foreach (var option in new Option[] { table, runId, maxDuration.Option, threads, keepFiles, json, verbose, logFormat, force })
        {
            command.Options.Add(option);
        }

        if (!resume)
        {
            command.Options.Add(noResume);
            command.Options.Add(resumeMaxAge.Option);
            command.Options.Add(join);
            command.Options.Add(dryRun);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = CliOutput.Of(parse);
            if (!new NumberRanges(parse)
                .Between(threads, ConfigLimits.MinParallelThreads, ConfigLimits.MaxParallelThreads, "workers per table")
                .Duration(resumeMaxAge, out var resumeMaxAgeValue)
                .Duration(maxDuration, out var maxDurationValue)
                .Report())
            {
                return ExitCodes.BadInput;
            }

            if (configOptions.Load(parse, output) is not { } config)
            {
                return ExitCodes.BadInput;
            }

            var options = new MigrationOptions
            {
                Source = parse.GetValue(source),
                Table = parse.GetValue(table),
                NoResume = parse.GetValue(noResume),
                ResumeMaxAge = resumeMaxAgeValue ?? MigrationOptions.DefaultResumeMaxAge,
                ResumeRunId = parse.GetValue(runId),
                JoinRunId = parse.GetValue(join),
                MaxDuration = maxDurationValue,
                ThrottleLimit = parse.GetValue(threads),
                DryRun = parse.GetValue(dryRun),
                Force = parse.GetValue(force),
                KeepFiles = parse.GetValue(keepFiles),
            };
            var reporter = new CliReporter(output, parse.GetValue(verbose), parse.GetValue(logFormat));
            using var signals = new TerminationSignals(output.Error, cancellationToken);
            var engine = new MigrationRunner(config, options, reporter.Reporter).RunAsync(signals.Token);
            if (!await signals.WaitAsync(engine))
            {
                var runs = reporter.Runs.RunIds.Count == 0 ? "the run" : "run " + string.Join(", ", reporter.Runs.RunIds);
                output.Warn(ErrorCatalog.StopWaitExpired, $"{runs} did not record its end within {TerminationSignals.Grace.TotalSeconds:0} s; exiting anyway.");
                return signals.ExitCode;
            }

            return await EngineCall.RunAsync(output, config, async () =>
            {
                MigrationResult result;
                try
                {
                    result = await engine;
                }
                catch (OperationCanceledException)
                {
                    output.Error.WriteLine("Cancelled; the run is recorded as cancelled and resumes with the same command.");
                    return signals.Received is null ? ExitCodes.No : signals.ExitCode;
                }

                if (parse.GetValue(json))
                {
                    output.Json(result.IsDryRun ? (object)result.DryRun : result.Runs, Json);
                }
                else if (result.IsDryRun)
                {
                    PrintDryRun(result.DryRun, output);
                }
                else
                {
                    PrintRuns(result.Runs, output);
                }

                if (signals.Received is not null && !result.Succeeded)
                {
                    output.Error.WriteLine("Stopped; the run is recorded as cancelled and resumes with the same command.");
                    return signals.ExitCode;
                }

                return ExitCodeOf(result);
            });
        });
        return command;
    }

    /// <summary>0 completed; 3 when a run stopped at its deadline, 4 when one was cancelled (both resume); 1 otherwise.</summary>
    internal static int ExitCodeOf(MigrationResult result)
    {
        if (result.Succeeded)
        {
            return ExitCodes.Ok;
        }

        var statuses = result.Runs.Select(r => r.Status).ToList();
        return statuses.Any(s => s is RunStatus.Failed or RunStatus.CompletedWithErrors) ? ExitCodes.No
            : statuses.Contains(RunStatus.Partial) ? ExitCodes.Partial
            : statuses.Contains(RunStatus.Cancelled) ? ExitCodes.Cancelled
            : ExitCodes.No;
    }

    private static void PrintDryRun(IReadOnlyList<TableDryRun> tables, CliOutput output)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var t in tables)
        {
            if (t.Error is not null)
            {
                output.Line($"{t.SourceName}: {t.SourceTable} -> {t.Table}: cannot be planned: {t.Error}");
                continue;
            }

            output.Line($"{t.SourceName}: {t.SourceTable} -> {t.Table}");
            foreach (var statement in t.TargetDdl)
            {
                output.Line($"  ddl          {statement.Replace("\n", "\n               ", StringComparison.Ordinal)};");
            }

            output.Line($"  strategy     {t.Strategy}: {t.StrategyReason}");
            output.Line($"  load method  {t.LoadMethod}: {t.LoadMethodReason}");
            output.Line(string.Format(c, "  chunks       {0:N0}; rows per chunk min {1:N0} / median {2:N0} / max {3:N0}; {4:N0} rows in all",
                t.Chunks.Count, t.MinChunkRows, t.MedianChunkRows, t.MaxChunkRows, t.ExpectedRows));
        }

        output.Line("Dry run: nothing was written to the target.");
    }

    private static void PrintRuns(IReadOnlyList<RunResult> runs, CliOutput output)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var run in runs)
        {
            output.Line($"Run {run.RunId} ({run.SourceName} -> {run.TargetDatabase}): {StatusText.ToText(run.Status)}{(run.Resumed ? ", resumed" : "")}{(run.Joined ? ", joined" : "")}");
            output.Line(string.Format(c, "  {0,-32} {1,-22} {2,-11} {3,7} {4,14} {5,12}  {6}", "table", "strategy", "load", "chunks", "rows", "rows/s", "verified"));
            foreach (var t in run.Tables)
            {
                output.Line(string.Format(c, "  {0,-32} {1,-22} {2,-11} {3,7:N0} {4,14:N0} {5,12:N0}  {6}",
                    t.Table, t.Strategy, t.LoadMethod, t.Chunks, t.RowsCopied, t.RowsPerSecond,
                    t.Verified ? "yes" : StatusText.ToText(t.Status) + (t.Error is null ? "" : $": {(t.ErrorCode is null ? "" : t.ErrorCode + " ")}{t.Error}")));
            }
        }
    }
}
