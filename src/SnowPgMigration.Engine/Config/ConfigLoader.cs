using System.Text;
using System.Text.Json;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Reads config.json into the effective <see cref="MigrationConfig"/>, reporting every problem in one pass.
/// </summary>
/// <remarks>
/// Comments and trailing commas are allowed. <c>${NAME}</c> and <c>${NAME:-default}</c> in string values are
/// replaced from the process environment, then from the .env file (the one given in the options, else the
/// config's <c>env_file</c>, else a <c>.env</c> beside the config file when there is one).
/// </remarks>
public static class ConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates the config file at <paramref name="path"/>.</summary>
    public static ConfigLoadResult Load(string path, ConfigLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ConfigLoadOptions();
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var notFound = e is FileNotFoundException or DirectoryNotFoundException;
            return Failed(path, new ConfigFinding
            {
                Severity = ConfigFindingSeverity.Error,
                Error = ErrorCatalog.ConfigFileNotFound,
                Path = "$",
                Message = notFound ? $"config file '{path}' does not exist." : $"config file '{path}' cannot be read: {e.Message}",
                Hint = ErrorCatalog.ConfigFileNotFound.RecommendedAction,
                File = path,
            });
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return LoadCore(bytes, path, directory, options);
    }

    /// <summary>
    /// Validates config text held in memory. A relative <c>env_file</c> is resolved from
    /// <paramref name="baseDirectory"/>, where a default <c>.env</c> is also looked for; without one, only the
    /// current directory resolves <c>env_file</c> and no default <c>.env</c> is read.
    /// </summary>
    public static ConfigLoadResult Parse(string json, ConfigLoadOptions? options = null, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return LoadCore(Encoding.UTF8.GetBytes(json), file: null, baseDirectory, options ?? new ConfigLoadOptions());
    }

    private static ConfigLoadResult LoadCore(byte[] bytes, string? file, string? baseDirectory, ConfigLoadOptions options)
    {
        var utf8 = bytes.AsMemory();
        if (utf8.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Failed(file, SyntaxFinding(e, utf8.Span, file));
        }

        using (document)
        {
            var findings = new List<ConfigFinding>();
            var envVariables = ReadEnvFile(document.RootElement, file, baseDirectory, options, findings);
            var reader = new ConfigDocumentReader(file, new VariableExpander(options.EnvironmentVariables, envVariables));
            var config = new ConfigBinder(reader, options.CheckPrivateKey).Bind(document.RootElement, options.SourceName, file);
            findings.AddRange(reader.Findings);
            if (config is null || findings.Exists(f => f.IsError))
            {
                return new ConfigLoadResult { Findings = findings, File = file };
            }

            return new ConfigLoadResult
            {
                Config = config,
                Findings = findings,
                ConfigHash = ConfigHasher.Compute(config, options.SourceName),
                File = file,
            };
        }
    }

    private static ConfigLoadResult Failed(string? file, ConfigFinding finding) =>
        new() { Findings = [finding], File = file };

    private static ConfigFinding SyntaxFinding(JsonException e, ReadOnlySpan<byte> utf8, string? file)
    {
        var line = (int)(e.LineNumber ?? 0);
        var column = CharacterColumn(utf8, line, (int)(e.BytePositionInLine ?? 0));

        // The parser's own message ends with its byte position; the line and column said here replace it.
        var reason = e.Message;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            reason = reason[..cut];
        }

        return new ConfigFinding
        {
            Severity = ConfigFindingSeverity.Error,
            Error = ErrorCatalog.ConfigJsonSyntax,
            Path = "$",
            Message = $"invalid JSON at line {line + 1}, column {column}: {reason.TrimEnd('.')}.",
            Hint = ErrorCatalog.ConfigJsonSyntax.RecommendedAction,
            File = file,
            Line = line + 1,
            Column = column,
        };
    }

    /// <summary>Turns the parser's 0-based byte offset within a line into a 1-based character column.</summary>
    private static int CharacterColumn(ReadOnlySpan<byte> utf8, int line, int bytePosition)
    {
        var start = 0;
        for (var i = 0; i < line; i++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return bytePosition + 1;
            }

            start += next + 1;
        }

        var length = Math.Min(bytePosition, utf8.Length - start);
        return Encoding.UTF8.GetCharCount(utf8.Slice(start, length)) + 1;
    }

    private static Dictionary<string, string> ReadEnvFile(
        JsonElement root, string? configFile, string? baseDirectory, ConfigLoadOptions options, List<ConfigFinding> findings)
    {
        string? path;
        var required = true;
        var settingPath = "$";
        if (options.EnvFilePath is not null)
        {
            path = options.EnvFilePath;
        }
        else if (root.ValueKind == JsonValueKind.Object
                 && root.TryGetProperty(ConfigKeys.EnvFile, out var setting)
                 && setting.ValueKind == JsonValueKind.String)
        {
            path = Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), setting.GetString()!);
            settingPath = ConfigKeys.EnvFile;
        }
        else if (baseDirectory is not null)
        {
            path = Path.Combine(baseDirectory, ".env");
            required = false;
        }
        else
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (!File.Exists(path))
        {
            if (required)
            {
                findings.Add(new ConfigFinding
                {
                    Severity = ConfigFindingSeverity.Error,
                    Error = ErrorCatalog.ConfigEnvFileNotFound,
                    Path = settingPath,
                    Message = $"env file '{path}' does not exist.",
                    Hint = ErrorCatalog.ConfigEnvFileNotFound.RecommendedAction,
                    File = configFile,
                });
            }

            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var envFile = DotEnvFile.Parse(File.ReadAllText(path));
        foreach (var problem in envFile.Problems)
        {
            findings.Add(new ConfigFinding
            {
                Severity = ConfigFindingSeverity.Warning,
                Error = ErrorCatalog.ConfigEnvFileSyntax,
                Path = "$",
                Message = $"line {problem.Line} of env file '{path}' {problem.Problem}; it is ignored.",
                Hint = ErrorCatalog.ConfigEnvFileSyntax.RecommendedAction,
                File = path,
                Line = problem.Line,
            });
        }

        return new Dictionary<string, string>(envFile.Variables, StringComparer.Ordinal);
    }
}
