using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SnowPgMigration.Emulator.Results;

/// <summary>
/// Turns PostgreSQL's text output of a value into the string the SQL API sends for it: dates as days
/// since 1970-01-01, times as seconds since midnight and timestamps as epoch seconds, both with nine
/// fraction digits, TIMESTAMP_TZ with its offset in minutes plus 1440, binary as upper-case hex,
/// booleans as <c>true</c>/<c>false</c>, floats' specials as <c>NaN</c>/<c>inf</c>/<c>-inf</c>, and JSON
/// pretty-printed with two spaces.
/// </summary>
/// <remarks>
/// The session runs with <c>DateStyle=ISO</c>, <c>bytea_output=hex</c> and the request's time zone, so
/// PostgreSQL's text forms are fixed and exact (numeric text keeps every digit of NUMBER(38,0)).
/// </remarks>
internal static class ValueEncoder
{
    private static readonly JsonWriterOptions PrettyJson = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Appends the JSON token for one value: a quoted string, or <c>null</c> for SQL NULL.</summary>
    public static void Append(StringBuilder output, ResultColumn column, string? pgText, bool nullAsString)
    {
        if (pgText is null)
        {
            output.Append(nullAsString ? "\"null\"" : "null");
            return;
        }

        switch (column.Kind)
        {
            case ValueKind.Fixed:
                output.Append('"').Append(pgText).Append('"');
                break;
            case ValueKind.FixedUnconstrained:
                var dot = pgText.IndexOf('.', StringComparison.Ordinal);
                if (dot >= 0)
                {
                    column.Scale = Math.Max(column.Scale ?? 0, Math.Min(37, pgText.Length - dot - 1));
                }

                output.Append('"').Append(pgText).Append('"');
                break;
            case ValueKind.Real:
                output.Append('"').Append(EncodeReal(pgText)).Append('"');
                break;
            case ValueKind.Boolean:
                output.Append(pgText is "t" or "true" ? "\"true\"" : "\"false\"");
                break;
            case ValueKind.Binary:
                output.Append('"');
                for (var i = pgText.StartsWith("\\x", StringComparison.Ordinal) ? 2 : 0; i < pgText.Length; i++)
                {
                    output.Append(char.ToUpperInvariant(pgText[i]));
                }

                output.Append('"');
                break;
            case ValueKind.Date:
                output.Append('"').Append(EncodeDate(pgText)).Append('"');
                break;
            case ValueKind.Time or ValueKind.TimeWithZone:
                output.Append('"').Append(EncodeTime(pgText)).Append('"');
                break;
            case ValueKind.TimestampNtz:
                output.Append('"').Append(EncodeTimestamp(pgText, withOffset: false)).Append('"');
                break;
            case ValueKind.TimestampTz:
                output.Append('"').Append(EncodeTimestamp(pgText, withOffset: true)).Append('"');
                break;
            case ValueKind.TimestampLtz:
                output.Append('"').Append(EncodeInstant(pgText)).Append('"');
                break;
            case ValueKind.TimestampTzText:
                output.Append('"').Append(EncodeTimestamp(pgText, withOffset: true)).Append('"');
                break;
            case ValueKind.Vector:
                output.Append('"').Append(EncodeVector(pgText, column.ElementKind)).Append('"');
                break;
            case ValueKind.Variant:
                AppendJsonString(output, PrettyPrintJson(pgText));
                break;
            case ValueKind.Array:
                AppendJsonString(output, PostgresArrayText.ToSnowflakeJson(pgText, column.ElementKind));
                break;
            default:
                AppendJsonString(output, pgText);
                break;
        }
    }

    public static string EncodeReal(string pgText) => pgText switch
    {
        "Infinity" => "inf",
        "-Infinity" => "-inf",
        _ => pgText,
    };

    /// <summary><c>2026-10-09</c> is <c>20735</c>; BC dates and years beyond 9999 are handled too.</summary>
    public static string EncodeDate(string pgText)
    {
        if (!TryParseDate(pgText, 0, out var days, out _))
        {
            return pgText;
        }

        return days.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>12:34:56.123456</c> is <c>45296.123456000</c>.</summary>
    public static string EncodeTime(string pgText)
    {
        var end = pgText.IndexOfAny(['+', '-'], 1);
        var nanos = ParseClock(pgText.AsSpan(0, end < 0 ? pgText.Length : end));
        return FormatSeconds(nanos);
    }

    /// <summary>
    /// <c>2026-10-09 12:34:56.123456</c> is <c>1791549296.123456000</c>; with an offset
    /// (<c>+07</c>) the instant is UTC and the offset follows as minutes + 1440 (<c>1860</c>).
    /// </summary>
    public static string EncodeTimestamp(string pgText, bool withOffset)
    {
        if (!TryParseDate(pgText, 0, out var days, out var afterDate) || afterDate >= pgText.Length)
        {
            return pgText;
        }

        var bc = pgText.EndsWith(" BC", StringComparison.Ordinal);
        var body = bc ? pgText.AsSpan(afterDate + 1, pgText.Length - afterDate - 4) : pgText.AsSpan(afterDate + 1);
        var offsetSeconds = 0;
        if (withOffset)
        {
            var sign = body.LastIndexOfAny('+', '-');
            if (sign > 0)
            {
                offsetSeconds = ParseOffsetSeconds(body[sign..]);
                body = body[..sign];
            }
        }

        var nanosOfDay = ParseClock(body);
        var totalNanos = (Int128)days * 86_400_000_000_000L + nanosOfDay - (Int128)offsetSeconds * 1_000_000_000L;
        var text = FormatSeconds(totalNanos);
        return withOffset
            ? text + " " + ((offsetSeconds / 60) + 1440).ToString(CultureInfo.InvariantCulture)
            : text;
    }

    /// <summary>A TIMESTAMP_LTZ: the instant as epoch seconds, without the offset TIMESTAMP_TZ carries.</summary>
    public static string EncodeInstant(string pgText)
    {
        var withOffset = EncodeTimestamp(pgText, withOffset: true);
        var space = withOffset.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? withOffset : withOffset[..space];
    }

    /// <summary><c>{1.5,-2}</c> is <c>[1.500000,-2.000000]</c> for FLOAT elements (six fraction digits, as the live service sends) and <c>[1,-2]</c> for INT.</summary>
    public static string EncodeVector(string pgText, ValueKind elementKind)
    {
        var elements = pgText.Trim('{', '}').Split(',', StringSplitOptions.RemoveEmptyEntries);
        var encoded = elements.Select(e => elementKind == ValueKind.Real
            ? double.Parse(e, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("F6", CultureInfo.InvariantCulture)
            : e);
        return "[" + string.Join(",", encoded) + "]";
    }

    /// <summary>Pretty-prints JSON as Snowflake does: two-space indent, <c>\n</c>, <c>"key": value</c>.</summary>
    public static string PrettyPrintJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return document.RootElement.GetRawText();
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(json.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, PrettyJson))
        {
            document.RootElement.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return Environment.NewLine == "\n" ? text : text.Replace(Environment.NewLine, "\n", StringComparison.Ordinal);
    }

    /// <summary>Appends <paramref name="value"/> as a JSON string literal, escaping only what JSON requires.</summary>
    public static void AppendJsonString(StringBuilder output, string value)
    {
        output.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= ' ' && c != '"' && c != '\\')
            {
                continue;
            }

            output.Append(value, start, i - start);
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                default: output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }

            start = i + 1;
        }

        output.Append(value, start, value.Length - start).Append('"');
    }

    /// <summary>Reads <c>[-]YYYY-MM-DD[ BC]</c> at <paramref name="start"/> into days since 1970-01-01.</summary>
    private static bool TryParseDate(string text, int start, out long days, out int end)
    {
        days = 0;
        end = start;
        var firstDash = text.IndexOf('-', start + 1);
        if (firstDash < 0 || firstDash + 6 > text.Length
            || !long.TryParse(text.AsSpan(start, firstDash - start), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(firstDash + 1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(text.AsSpan(firstDash + 4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day))
        {
            return false;
        }

        if (text.EndsWith(" BC", StringComparison.Ordinal))
        {
            year = 1 - year; // 1 BC is astronomical year 0
        }

        end = firstDash + 6;
        days = DaysFromCivil(year, month, day);
        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).</summary>
    internal static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146_097) + dayOfEra - 719_468;
    }

    /// <summary>Nanoseconds since midnight of <c>HH:MM:SS[.ffffff]</c> (24:00:00 allowed).</summary>
    private static long ParseClock(ReadOnlySpan<char> clock)
    {
        var hours = int.Parse(clock[..2], NumberStyles.None, CultureInfo.InvariantCulture);
        var minutes = int.Parse(clock.Slice(3, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var seconds = int.Parse(clock.Slice(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        long fraction = 0;
        if (clock.Length > 9 && clock[8] == '.')
        {
            var digits = clock[9..];
            fraction = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = digits.Length; i < 9; i++)
            {
                fraction *= 10;
            }
        }

        return ((((hours * 60L) + minutes) * 60) + seconds) * 1_000_000_000L + fraction;
    }

    /// <summary>Seconds east of UTC of <c>+HH[:MM[:SS]]</c>.</summary>
    private static int ParseOffsetSeconds(ReadOnlySpan<char> offset)
    {
        var sign = offset[0] == '-' ? -1 : 1;
        var parts = offset[1..];
        var total = int.Parse(parts[..2], NumberStyles.None, CultureInfo.InvariantCulture) * 3600;
        if (parts.Length >= 5)
        {
            total += int.Parse(parts.Slice(3, 2), NumberStyles.None, CultureInfo.InvariantCulture) * 60;
        }

        if (parts.Length >= 8)
        {
            total += int.Parse(parts.Slice(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return sign * total;
    }

    /// <summary>A signed decimal number of seconds with exactly nine fraction digits.</summary>
    internal static string FormatSeconds(Int128 nanos)
    {
        var negative = nanos < 0;
        var magnitude = negative ? -nanos : nanos;
        var whole = (long)(magnitude / 1_000_000_000);
        var fraction = (long)(magnitude % 1_000_000_000);
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{whole}.{fraction:D9}");
    }
}
