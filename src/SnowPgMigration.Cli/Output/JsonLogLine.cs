using System.Globalization;
using System.Text;
using System.Text.Json;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.Cli.Output;

/// <summary>
/// One line of <c>--log-format json</c>: timestamp (UTC, ISO 8601), level, event_id, event_name, category, message and
/// properties (the message's named values). Progress lines have event_name "Progress" and event_id 0.
/// </summary>
internal static class JsonLogLine
{
    public static string Of(LogEvent log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Write(log.At, log.Level, log.EventId, log.EventName, log.Category, log.Message, log.Properties);
    }

    public static string Of(ProgressEvent progress, string message)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return Write(progress.At, EngineLogLevel.Information, 0, "Progress", "SnowPgMigration.Progress", message,
        [
            new("Activity", progress.Activity),
            new("Status", progress.Status),
            new("RowsDone", progress.RowsDone),
            new("RowsExpected", progress.RowsExpected),
            new("PercentComplete", progress.PercentComplete),
            new("RowsPerSecond", progress.RowsPerSecond),
            new("Completed", progress.Completed),
        ]);
    }

    private static string Write(
        DateTimeOffset at, EngineLogLevel level, int eventId, string? eventName, string category, string message, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("level", level.ToString().ToLowerInvariant());
            json.WriteNumber("event_id", eventId);
            json.WriteString("event_name", eventName);
            json.WriteString("category", category);
            json.WriteString("message", message);
            json.WriteStartObject("properties");
            foreach (var (name, value) in properties)
            {
                json.WritePropertyName(name);
                WriteValue(json, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long or short or byte:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case IFormattable formattable:
                json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }
}
