using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg integrity --config C [--source S] [--table T] [--json]</c> (Test-SfPgIntegrity): duplicate and NULL keys,
/// NULL watermarks and orphaned foreign keys of the target tables. Exit code 0 when every check is clean, 1 when a
/// check found rows, 2 on bad input (an invalid config, no matching table, a table or column the check cannot read).
/// </summary>
internal static class IntegrityCommand
{
    /// <summary>The names of Test-SfPgIntegrity's properties, in camelCase.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Create()
    {
        var configOptions = new ConfigOptions("The config.json file whose target tables to check.");
        var table = CliOptions.Table();
        var json = CliOptions.Json("Print one JSON object per table and check (the fields of Test-SfPgIntegrity's objects).");
        var command = new Command(
            "integrity",
            "Check the target tables for duplicate keys, NULL keys and watermarks, and orphaned foreign keys (declared in the target or in the config's references). "
            + "Exit 0 when clean, 1 when a check found rows, 2 on bad input.")
        {
            table, json,
        };
        configOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = CliOutput.Of(parse);
            if (configOptions.Load(parse, output) is not { } config)
            {
                return ExitCodes.BadInput;
            }

            var options = new IntegrityOptions { Source = parse.GetValue(configOptions.Source), Table = parse.GetValue(table) };
            // Every failure here is bad input: the config names something the check cannot read or reach.
            return await EngineCall.RunAsync(output, config, async () =>
            {
                IReadOnlyList<IntegrityTableReport> reports;
                try
                {
                    reports = await new IntegrityChecker(config, options).CheckAsync(cancellationToken);
                }
                catch (SfPgException ex)
                {
                    return output.Fail(ex, ExitCodes.BadInput);
                }

                var findings = reports.SelectMany(r => r.Findings).ToList();
                if (parse.GetValue(json))
                {
                    output.Json(findings.Select(Project), Json);
                }
                else
                {
                    Print(findings, output);
                }

                foreach (var failed in reports.Where(r => r.Error is not null))
                {
                    output.Fail(failed.Error!, ExitCodes.BadInput);
                }

                return reports.Any(r => r.Error is not null) ? ExitCodes.BadInput : reports.Any(r => r.HasFindings) ? ExitCodes.No : ExitCodes.Ok;
            }, unreachableExitCode: ExitCodes.BadInput);
        });
        return command;
    }

    private static void Print(List<IntegrityFinding> findings, CliOutput output) =>
        TextTable.Write(output.Out, ["table", "check", "count", "constraint", "sample_keys"],
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
