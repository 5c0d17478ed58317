using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg migrate</c> and <c>sfpg resume</c>: run the migration of a config file. Exit code 0 only when
/// every run completed (for a dry run: every table could be planned), 1 otherwise, 2 for bad input,
/// 130 / 143 when SIGINT / SIGTERM stopped it (after the run was recorded cancelled).
/// </summary>
internal static class MigrateCommand
{
    public const int ExitCompleted = 0;
    public const int ExitNotCompleted = 1;
    public const int ExitBadInput = 2;

    /// <summary>A run stopped at its deadline (partial): the same command resumes it.</summary>
    public const int ExitPartial = 3;

    /// <summary>A run was cancelled (by an administrator's stop or the caller's cancellation): the same command resumes it.</summary>
    public const int ExitCancelled = 4;

    /// <summary>A year: an unfinished run older than that is history, not work to pick up.</summary>
    private const double MaxResumeAgeHours = 8_760;

    /// <summary>Thirty days: longer than any run the deadline is meant to bound.</summary>
    private const double MaxDurationMinutes = 43_200;

    /// <summary>The run's verdict could not be written: the record still says running until the next command corrects it.</summary>
    public const int ExitVerdictNotRecorded = 5;

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
        var config = new Option<FileInfo>("--config", "-c") { Description = "The config.json file.", Required = true };
        var envFile = new Option<FileInfo?>("--env-file") { Description = "The .env file with the variables the config uses." };
        var source = new Option<string?>("--source", "-s") { Description = "Only this source (source_name), or several separated by commas: --source sales,finance." };
        var table = new Option<string?>("--table", "-t") { Description = "Only this table (target or source name)." };
        var noResume = new Option<bool>("--no-resume") { Description = "Start a fresh run even when an unfinished one could be resumed." };
        var resumeMaxAge = new Option<double>("--resume-max-age")
        {
            Description = "Hours within which an unfinished run is resumed automatically.",
            DefaultValueFactory = _ => MigrationOptions.DefaultResumeMaxAge.TotalHours,
        };
        var runId = new Option<Guid?>("--resume-run-id") { Description = "Resume this run, whatever its age.", Required = resume };
        if (resume)
        {
            runId.Aliases.Add("--run-id");
        }

        var join = new Option<Guid?>("--join") { Description = "Join this running run from another process and share its chunks." };
        var maxDuration = new Option<double?>("--max-duration")
        {
            Description = "Minutes the run may take; it stops claiming chunks deadline_buffer_seconds before, and ends 'partial' (resumable).",
        };
        var threads = new Option<int?>("--threads", "--throttle-limit") { Description = "Workers per table, overriding parallel_threads." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan every table and print the plan; write nothing to the target." };
        var json = new Option<bool>("--json") { Description = "Print the run summary (or the dry-run plan with its chunks) as JSON on stdout." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every chunk as it commits." };
        var force = new Option<bool>("--force")
        {
            Description = "Resume even when the config differs from the run's (the differences are listed without it), and re-plan a table a newer run has loaded since.",
        };

        var command = new Command(name, description) { config, envFile, source, table, runId, maxDuration, threads, json, verbose, force };
        if (!resume)
        {
            command.Options.Add(noResume);
            command.Options.Add(resumeMaxAge);
            command.Options.Add(join);
            command.Options.Add(dryRun);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse)
                .Between(threads, ConfigLimits.MinParallelThreads, ConfigLimits.MaxParallelThreads, "workers per table")
                .Between(resumeMaxAge, 0, MaxResumeAgeHours, "hours")
                .Between(maxDuration, 0, MaxDurationMinutes, "minutes")
                .Report())
            {
                return ExitBadInput;
            }

            var loaded = ConfigLoader.Load(parse.GetRequiredValue(config).FullName, new ConfigLoadOptions
            {
                SourceName = parse.GetValue(source),
                EnvFilePath = parse.GetValue(envFile)?.FullName,
            });
            if (!loaded.IsValid)
            {
                foreach (var line in ConfigReport.ToLines(loaded))
                {
                    Console.Error.WriteLine(line);
                }

                return ExitBadInput;
            }

            var options = new MigrationOptions
            {
                Source = parse.GetValue(source),
                Table = parse.GetValue(table),
                NoResume = parse.GetValue(noResume),
                ResumeMaxAge = TimeSpan.FromHours(parse.GetValue(resumeMaxAge)),
                ResumeRunId = parse.GetValue(runId),
                JoinRunId = parse.GetValue(join),
                MaxDuration = parse.GetValue(maxDuration) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                ThrottleLimit = parse.GetValue(threads),
                DryRun = parse.GetValue(dryRun),
                Force = parse.GetValue(force),
            };
            var reporter = new RunIdRecorder(new ConsoleReporter(parse.GetValue(verbose)));
            using var signals = new TerminationSignals(cancellationToken);
            var engine = new MigrationRunner(loaded.Config!, options, reporter).RunAsync(signals.Token);
            if (!await signals.WaitAsync(engine))
            {
                var runs = reporter.RunIds.Count == 0 ? "the run" : "run " + string.Join(", ", reporter.RunIds);
                Console.Error.WriteLine($"warning {ErrorCatalog.StopWaitExpired.Code}: {runs} did not record its end within {TerminationSignals.Grace.TotalSeconds:0} s; exiting anyway.");
                Console.Error.WriteLine($"  fix: {ErrorCatalog.StopWaitExpired.RecommendedAction}");
                return signals.ExitCode;
            }

            MigrationResult result;
            try
            {
                result = await engine;
            }
            catch (SfPgException ex)
            {
                Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
                Console.Error.WriteLine($"  fix: {ex.RecommendedAction}");
                if (ex.Error == ErrorCatalog.RunStatusNotPersisted)
                {
                    return ExitVerdictNotRecorded;
                }

                return ex.Error.Kind is ErrorKind.InvalidArgument or ErrorKind.ObjectNotFound or ErrorKind.InvalidOperation ? ExitBadInput : ExitNotCompleted;
            }
            catch (DbException ex) when (TargetConnectionFailure.From(ex, loaded.Config!.Postgres) is { } failure)
            {
                Console.Error.WriteLine($"error {failure.Code}: {failure.Message}");
                Console.Error.WriteLine($"  fix: {failure.RecommendedAction}");
                return ExitNotCompleted;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Cancelled; the run is recorded as cancelled and resumes with the same command.");
                return signals.Received is null ? ExitNotCompleted : signals.ExitCode;
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result.IsDryRun ? (object)result.DryRun : result.Runs, Json));
            }
            else if (result.IsDryRun)
            {
                PrintDryRun(result.DryRun);
            }
            else
            {
                PrintRuns(result.Runs);
            }

            if (signals.Received is not null && !result.Succeeded)
            {
                Console.Error.WriteLine("Stopped; the run is recorded as cancelled and resumes with the same command.");
                return signals.ExitCode;
            }

            return ExitCodeOf(result);
        });
        return command;
    }

    /// <summary>0 completed; 3 when a run stopped at its deadline, 4 when one was cancelled (both resume); 1 otherwise.</summary>
    internal static int ExitCodeOf(MigrationResult result)
    {
        if (result.Succeeded)
        {
            return ExitCompleted;
        }

        var statuses = result.Runs.Select(r => r.Status).ToList();
        return statuses.Any(s => s is RunStatus.Failed or RunStatus.CompletedWithErrors) ? ExitNotCompleted
            : statuses.Contains(RunStatus.Partial) ? ExitPartial
            : statuses.Contains(RunStatus.Cancelled) ? ExitCancelled
            : ExitNotCompleted;
    }

    private static void PrintDryRun(IReadOnlyList<TableDryRun> tables)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var t in tables)
        {
            if (t.Error is not null)
            {
                Console.Out.WriteLine($"{t.SourceName}: {t.SourceTable} -> {t.Table}: cannot be planned: {t.Error}");
                continue;
            }

            Console.Out.WriteLine($"{t.SourceName}: {t.SourceTable} -> {t.Table}");
            foreach (var statement in t.TargetDdl)
            {
                Console.Out.WriteLine($"  ddl          {statement.Replace("\n", "\n               ", StringComparison.Ordinal)};");
            }

            Console.Out.WriteLine($"  strategy     {t.Strategy}: {t.StrategyReason}");
            Console.Out.WriteLine($"  load method  {t.LoadMethod}: {t.LoadMethodReason}");
            Console.Out.WriteLine(string.Format(c, "  chunks       {0:N0}; rows per chunk min {1:N0} / median {2:N0} / max {3:N0}; {4:N0} rows in all",
                t.Chunks.Count, t.MinChunkRows, t.MedianChunkRows, t.MaxChunkRows, t.ExpectedRows));
        }

        Console.Out.WriteLine("Dry run: nothing was written to the target.");
    }

    private static void PrintRuns(IReadOnlyList<RunResult> runs)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var run in runs)
        {
            Console.Out.WriteLine($"Run {run.RunId} ({run.SourceName} -> {run.TargetDatabase}): {StatusText.ToText(run.Status)}{(run.Resumed ? ", resumed" : "")}{(run.Joined ? ", joined" : "")}");
            Console.Out.WriteLine(string.Format(c, "  {0,-32} {1,-22} {2,-11} {3,7} {4,14} {5,12}  {6}", "table", "strategy", "load", "chunks", "rows", "rows/s", "verified"));
            foreach (var t in run.Tables)
            {
                Console.Out.WriteLine(string.Format(c, "  {0,-32} {1,-22} {2,-11} {3,7:N0} {4,14:N0} {5,12:N0}  {6}",
                    t.Table, t.Strategy, t.LoadMethod, t.Chunks, t.RowsCopied, t.RowsPerSecond,
                    t.Verified ? "yes" : StatusText.ToText(t.Status) + (t.Error is null ? "" : $": {(t.ErrorCode is null ? "" : t.ErrorCode + " ")}{t.Error}")));
            }
        }
    }
}
