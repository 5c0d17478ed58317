using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// The options every status verb shares - which status database (--config/--source or --connection,
/// --user with the password from PGPASSWORD) and --json - and how they run one engine call.
/// Exit codes: 0 done, 1 the item was not found or the change refused, 2 bad input or no database (<see cref="ExitCodes.OfStatusError"/>).
/// </summary>
internal sealed class StatusCommandOptions
{
    /// <summary>The password for --user comes from here, never from the command line (it would show in ps).</summary>
    public const string PasswordVariable = "PGPASSWORD";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public Option<FileInfo?> Config { get; } = CliOptions.OptionalConfig("The config.json whose source's target database holds the status schema.");

    public Option<string?> Source { get; } = CliOptions.Source("The source (source_name) whose target database to use; needed when sources write to different databases.");

    public Option<FileInfo?> EnvFile { get; } = CliOptions.EnvFile();

    public Option<string?> Connection { get; } = new("--connection") { Description = "An Npgsql connection string of the status database (instead of --config); keep the password out of it." };

    public Option<string?> User { get; } = new("--user") { Description = $"User for the status database; its password is read from {PasswordVariable}." };

    public Option<bool> JsonOutput { get; } = CliOptions.Json("Print JSON instead of a table.");

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Source);
        command.Options.Add(EnvFile);
        command.Options.Add(Connection);
        command.Options.Add(User);
        command.Options.Add(JsonOutput);
    }

    public StatusConnectionRequest Request(ParseResult parse)
    {
        var user = parse.GetValue(User);
        return new StatusConnectionRequest
        {
            ConfigPath = parse.GetValue(Config)?.FullName,
            SourceName = parse.GetValue(Source),
            EnvFilePath = parse.GetValue(EnvFile)?.FullName,
            ConnectionString = parse.GetValue(Connection),
            UserName = user,
            Password = user is null ? null : Environment.GetEnvironmentVariable(PasswordVariable),
        };
    }

    /// <summary>Resolves the database, runs <paramref name="call"/> and prints what it returns; catalogue errors become exit codes.</summary>
    public async Task<int> RunAsync<T>(
        ParseResult parse,
        Func<StatusStore, CancellationToken, Task<T>> call,
        Action<T, StatusTarget, CliOutput> print,
        CancellationToken cancellationToken,
        Func<T, int>? exitCode = null)
    {
        var output = CliOutput.Of(parse);
        StatusTarget target;
        try
        {
            target = StatusConnection.Resolve(Request(parse));
        }
        catch (SfPgException ex)
        {
            return output.Fail(ex, ExitCodes.BadInput);
        }

        await using var store = StatusStore.Create(target.ConnectionString);
        T result;
        try
        {
            result = await call(store, cancellationToken);
        }
        catch (SfPgException ex)
        {
            return output.Fail(ex, ExitCodes.OfStatusError(ex));
        }
        catch (DbException ex) when (StatusConnection.IsUnreachable(ex))
        {
            return output.Fail(StatusConnection.Unreachable(target, ex), ExitCodes.BadInput);
        }

        if (parse.GetValue(JsonOutput))
        {
            output.Json(result, Json);
        }
        else
        {
            print(result, target, output);
        }

        return exitCode?.Invoke(result) ?? ExitCodes.Ok;
    }

    /// <summary>Parses a run status option value, or null; bad values are refused by the option's validator.</summary>
    public static Option<string?> RunStatusOption() => StatusOption(StatusText.RunStatusNames, "Only runs in this status");

    public static Option<string?> ProgressStatusOption(string what) => StatusOption(StatusText.ProgressStatusNames, $"Only {what} in this status");

    private static Option<string?> StatusOption(IReadOnlyList<string> names, string description)
    {
        var option = new Option<string?>("--status") { Description = $"{description}: {string.Join(", ", names)}." };
        option.AcceptOnlyFromAmong([.. names]);
        return option;
    }
}
