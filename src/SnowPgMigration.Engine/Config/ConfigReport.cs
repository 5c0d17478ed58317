using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SnowPgMigration.Engine.Config;

/// <summary>Renders a <see cref="ConfigLoadResult"/> for people (one line per finding) and for tools (JSON).</summary>
public static class ConfigReport
{
    /// <summary>One line per finding, then a summary line.</summary>
    public static IEnumerable<string> ToLines(ConfigLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var finding in result.Findings)
        {
            yield return finding.ToString();
        }

        yield return Summary(result);
    }

    /// <summary><c>config.json: valid, 0 errors, 1 warning (config hash 3f2a...)</c> or <c>config.json: invalid, 5 errors, 0 warnings</c>.</summary>
    public static string Summary(ConfigLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = result.Errors.Count();
        var warnings = result.Warnings.Count();
        var text = new StringBuilder()
            .Append(result.File ?? "config")
            .Append(": ")
            .Append(result.IsValid ? "valid" : "invalid")
            .Append(", ").Append(Count(errors, "error"))
            .Append(", ").Append(Count(warnings, "warning"));
        if (result.ConfigHash is not null)
        {
            text.Append(" (config hash ").Append(result.ConfigHash).Append(')');
        }

        return text.ToString();
    }

    /// <summary>
    /// <c>{ "file", "valid", "errors", "warnings", "config_hash", "findings": [ { "severity", "code", "path",
    /// "message", "hint", "file", "line", "column" } ] }</c>.
    /// </summary>
    public static void WriteJson(ConfigLoadResult result, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,

            // Read by people and tools, never embedded in HTML: keep quotes and apostrophes readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("file", result.File);
        json.WriteBoolean("valid", result.IsValid);
        json.WriteNumber("errors", result.Errors.Count());
        json.WriteNumber("warnings", result.Warnings.Count());
        json.WriteString("config_hash", result.ConfigHash);
        json.WriteStartArray("findings");
        foreach (var finding in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("severity", finding.IsError ? "error" : "warning");
            json.WriteString("code", finding.Code);
            json.WriteString("path", finding.Path);
            json.WriteString("message", finding.Message);
            json.WriteString("hint", finding.Hint);
            json.WriteString("file", finding.File);
            WriteOptionalNumber(json, "line", finding.Line);
            WriteOptionalNumber(json, "column", finding.Column);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter json, string name, int? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, value.Value);
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
