using System.Text;
using SnowPgMigration.Emulator.Results;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// The one CSV file format the emulator unloads, written as Snowflake writes it with these FILE_FORMAT
/// options: gzip, comma, strings and semi-structured values enclosed in double quotes (a quote doubled),
/// NULL as an unenclosed <c>\N</c>, dates <c>YYYY-MM-DD</c>, times and timestamps with nine fraction digits,
/// offsets as <c>TZH:TZM</c>, binary as upper-case hex, VARIANT as JSON. Any other option value is refused,
/// so a client never receives files in a format it did not ask for.
/// </summary>
internal static class CsvUnloadFormat
{
    private static readonly Dictionary<string, string[]> Accepted = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TYPE"] = ["CSV"],
        ["COMPRESSION"] = ["GZIP"],
        ["FIELD_DELIMITER"] = [","],
        ["RECORD_DELIMITER"] = ["\n"],
        ["FIELD_OPTIONALLY_ENCLOSED_BY"] = ["\""],
        ["NULL_IF"] = ["'\\\\N'"],
        ["EMPTY_FIELD_AS_NULL"] = ["FALSE"],
        ["DATE_FORMAT"] = ["YYYY-MM-DD"],
        ["TIME_FORMAT"] = ["HH24:MI:SS.FF9"],
        ["TIMESTAMP_NTZ_FORMAT"] = ["YYYY-MM-DD HH24:MI:SS.FF9"],
        ["TIMESTAMP_LTZ_FORMAT"] = ["YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM"],
        ["TIMESTAMP_TZ_FORMAT"] = ["YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM"],
        ["BINARY_FORMAT"] = ["HEX"],
    };

    public static void Check(IReadOnlyDictionary<string, string> fileFormat)
    {
        foreach (var (key, value) in fileFormat)
        {
            if (!Accepted.TryGetValue(key, out var values) || !values.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                throw new SnowflakeErrorException(new SnowflakeError(422, "002019",
                    $"SQL compilation error:\nFILE_FORMAT option {key}={Shown(value)} is not implemented by the emulator; it writes only: "
                    + string.Join(' ', Accepted.Select(a => $"{a.Key}={Shown(a.Value[0])}")), "0A000"));
            }
        }
    }

    private static string Shown(string value) => value.Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Appends one record: the fields of a row and the record delimiter.</summary>
    public static void AppendRecord(StringBuilder line, IReadOnlyList<ResultColumn> columns, Func<int, string?> valueAt)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            AppendField(line, columns[i], valueAt(i));
        }

        line.Append('\n');
    }

    private static void AppendField(StringBuilder line, ResultColumn column, string? pgText)
    {
        if (pgText is null)
        {
            line.Append("\\N");
            return;
        }

        switch (column.Kind)
        {
            case ValueKind.Fixed or ValueKind.FixedUnconstrained:
                line.Append(pgText);
                break;
            case ValueKind.Real:
                line.Append(ValueEncoder.EncodeReal(pgText));
                break;
            case ValueKind.Boolean:
                line.Append(pgText is "t" or "true" ? "true" : "false");
                break;
            case ValueKind.Binary:
                line.Append(pgText.StartsWith("\\x", StringComparison.Ordinal) ? pgText[2..].ToUpperInvariant() : pgText.ToUpperInvariant());
                break;
            case ValueKind.Date:
                line.Append(pgText);
                break;
            case ValueKind.Time or ValueKind.TimeWithZone or ValueKind.TimestampNtz:
                line.Append(NineFractionDigits(pgText, withOffset: false));
                break;
            case ValueKind.TimestampTz or ValueKind.TimestampLtz or ValueKind.TimestampTzText:
                line.Append(NineFractionDigits(pgText, withOffset: true));
                break;
            case ValueKind.Array:
                AppendEnclosed(line, PostgresArrayText.ToSnowflakeJson(pgText, column.ElementKind));
                break;
            default:
                AppendEnclosed(line, pgText);
                break;
        }
    }

    private static void AppendEnclosed(StringBuilder line, string text) =>
        line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    /// <summary>
    /// PostgreSQL's ISO text (<c>2024-01-02 03:04:05.5+05:30</c>, <c>03:04:05</c>) as
    /// <c>2024-01-02 03:04:05.500000000 +05:30</c>: nine fraction digits, the offset after a space as ±HH:MM.
    /// </summary>
    private static string NineFractionDigits(string pgText, bool withOffset)
    {
        var timeStart = pgText.IndexOf(':', StringComparison.Ordinal) - 2;
        var offsetAt = pgText.IndexOfAny(['+', '-'], Math.Max(timeStart, 0));
        var clock = offsetAt < 0 ? pgText : pgText[..offsetAt];
        var dot = clock.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? clock : clock[..dot];
        var fraction = dot < 0 ? "" : clock[(dot + 1)..];
        var result = $"{whole}.{fraction.PadRight(9, '0')}";
        if (!withOffset)
        {
            return result;
        }

        var offset = offsetAt < 0 ? "+00" : pgText[offsetAt..];
        return $"{result} {(offset.Length == 3 ? offset + ":00" : offset[..6])}";
    }
}
