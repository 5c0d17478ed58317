using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg integrity --config C [--source S] [--table T] [--json]</c> (Test-SfPgIntegrity): duplicate and NULL keys,
/// NULL watermarks and orphaned foreign keys of the target tables. Exit code 0 when every check is clean, 1 when a
/// check found rows, 2 on bad input (an invalid config, no matching table, a table or column the check cannot read).
/// </summary>
internal static class IntegrityCommand
{
    public const int ExitClean = 0;
    public const int ExitFindings = 1;
    public const int ExitBadInput = 2;

    /// <summary>The names of Test-SfPgIntegrity's properties, in camelCase.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "The config.json file whose target tables to check.", Required = true };
        var envFile = new Option<FileInfo?>("--env-file") { Description = "The .env file with the variables the config uses." };
        var source = new Option<string?>("--source", "-s") { Description = "Only this source (source_name)." };
        var table = new Option<string?>("--table", "-t") { Description = "Only this table (target or source name)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per table and check (the fields of Test-SfPgIntegrity's objects)." };
        var command = new Command(
            "integrity",
            "Check the target tables for duplicate keys, NULL keys and watermarks, and orphaned foreign keys (declared in the target or in the config's references). "
            + "Exit 0 when clean, 1 when a check found rows, 2 on bad input.")
        {
            config, envFile, source, table, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
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

            var options = new IntegrityOptions { Source = parse.GetValue(source), Table = parse.GetValue(table) };
            IReadOnlyList<IntegrityTableReport> reports;
            try
            {
                reports = await new IntegrityChecker(loaded.Config!, options).CheckAsync(cancellationToken);
            }
            catch (SfPgException ex)
            {
                return StatusCommandOptions.Fail(ex, ExitBadInput);
            }
            catch (DbException ex) when (TargetConnectionFailure.From(ex, loaded.Config!.Postgres) is { } failure)
            {
                return StatusCommandOptions.Fail(failure, ExitBadInput);
            }

            var findings = reports.SelectMany(r => r.Findings).ToList();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(findings.Select(Project), Json));
            }
            else
            {
                Print(findings);
            }

            foreach (var failed in reports.Where(r => r.Error is not null))
            {
                StatusCommandOptions.Fail(failed.Error!, ExitBadInput);
            }

            return reports.Any(r => r.Error is not null) ? ExitBadInput : reports.Any(r => r.HasFindings) ? ExitFindings : ExitClean;
        });
        return command;
    }

    private static void Print(List<IntegrityFinding> findings) =>
        TextTable.Write(Console.Out, ["table", "check", "count", "constraint", "sample_keys"],
            findings.Select(f => new[]
            {
                f.Table, IntegrityCheckNames.ToName(f.Check), TextTable.Number(f.Count), f.Constraint ?? "",
                TextTable.Short(string.Join("; ", f.SampleKeys)),
            }));

    /// <summary>The same fields, in the same order, as the SfPgIntegrityFinding objects of Test-SfPgIntegrity.</summary>
    private static object Project(IntegrityFinding f) => new
    {
        Source = f.SourceName,
        f.Schema,
        f.Table,
        Check = IntegrityCheckNames.ToName(f.Check),
        f.Columns,
        f.Count,
        f.SampleKeys,
        f.Constraint,
        f.Relationship,
        f.DeclaredIn,
    };
}
