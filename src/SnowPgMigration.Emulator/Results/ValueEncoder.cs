using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

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
/// PostgreSQL's text forms are fixed and exact (numeric text keeps every digit of NUMBER(38,0)). Values
/// arrive as PostgreSQL's UTF-8 bytes and are written as UTF-8 JSON, so the scalar types cost no string;
/// only VARIANT, ARRAY and VECTOR values, which are re-formatted as a whole, go through one.
/// </remarks>
internal static class ValueEncoder
{
    /// <summary>Room for the longest encoded date, time or timestamp: sign, 20 digits, '.', 9 digits, ' ', offset.</summary>
    private const int MaxTemporalBytes = 48;

    private static readonly JsonWriterOptions PrettyJson = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The bytes a JSON string cannot hold as they are: the quote, the backslash and control characters.</summary>
    private static readonly SearchValues<byte> NeedsEscape =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private delegate int Formatter(ReadOnlySpan<byte> pgText, Span<byte> destination);

    /// <summary>Writes the JSON token for one non-NULL value, given as PostgreSQL's UTF-8 text.</summary>
    public static void Write(PartitionBuffer output, ResultColumn column, ReadOnlySpan<byte> pgText)
    {
        switch (column.Kind)
        {
            case ValueKind.Fixed:
                WriteQuoted(output, pgText);
                break;
            case ValueKind.FixedUnconstrained:
                var dot = pgText.IndexOf((byte)'.');
                if (dot >= 0)
                {
                    column.Scale = Math.Max(column.Scale ?? 0, Math.Min(37, pgText.Length - dot - 1));
                }

                WriteQuoted(output, pgText);
                break;
            case ValueKind.Real:
                WriteQuoted(output, EncodeReal(pgText));
                break;
            case ValueKind.Boolean:
                output.Write(pgText.SequenceEqual("t"u8) || pgText.SequenceEqual("true"u8) ? "\"true\""u8 : "\"false\""u8);
                break;
            case ValueKind.Binary:
                WriteUpperHex(output, pgText);
                break;
            case ValueKind.Date:
                WriteTemporal(output, pgText, FormatDate);
                break;
            case ValueKind.Time or ValueKind.TimeWithZone:
                WriteTemporal(output, pgText, FormatTime);
                break;
            case ValueKind.TimestampNtz:
                WriteTemporal(output, pgText, FormatWallClock);
                break;
            case ValueKind.TimestampTz or ValueKind.TimestampTzText:
                WriteTemporal(output, pgText, FormatWithOffset);
                break;
            case ValueKind.TimestampLtz:
                WriteTemporal(output, pgText, FormatInstant);
                break;
            case ValueKind.Vector:
                WriteJsonString(output, EncodeVector(Encoding.UTF8.GetString(pgText), column.ElementKind));
                break;
            case ValueKind.Variant:
                WriteJsonString(output, PrettyPrintJson(Encoding.UTF8.GetString(pgText)));
                break;
            case ValueKind.Array:
                WriteJsonString(output, PostgresArrayText.ToSnowflakeJson(Encoding.UTF8.GetString(pgText), column.ElementKind));
                break;
            default:
                WriteJsonString(output, pgText);
                break;
        }
    }

    public static string EncodeReal(string pgText) => pgText switch
    {
        "Infinity" => "inf",
        "-Infinity" => "-inf",
        _ => pgText,
    };

    private static ReadOnlySpan<byte> EncodeReal(ReadOnlySpan<byte> pgText) =>
        pgText.SequenceEqual("Infinity"u8) ? "inf"u8 : pgText.SequenceEqual("-Infinity"u8) ? "-inf"u8 : pgText;

    /// <summary><c>2026-10-09</c> is <c>20735</c>; BC dates and years beyond 9999 are handled too.</summary>
    public static string EncodeDate(string pgText) => Encode(pgText, FormatDate);

    /// <summary>
    /// <c>2026-10-09 12:34:56.123456</c> is <c>1791549296.123456000</c>; with an offset
    /// (<c>+07</c>) the instant is UTC and the offset follows as minutes + 1440 (<c>1860</c>).
    /// </summary>
    public static string EncodeTimestamp(string pgText, bool withOffset) => Encode(pgText, withOffset ? FormatWithOffset : FormatWallClock);

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

        var buffer = new ArrayBufferWriter<byte>(json.Length * 2);
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

            output.Append(value, start, i - start).Append(Escape(c));
            start = i + 1;
        }

        output.Append(value, start, value.Length - start).Append('"');
    }

    /// <summary>Writes UTF-8 <paramref name="text"/> as a JSON string literal, escaping only what JSON requires.</summary>
    private static void WriteJsonString(PartitionBuffer output, ReadOnlySpan<byte> text)
    {
        if (!Utf8.IsValid(text))
        {
            // Only a SQL_ASCII database passes bytes through unconverted; decoding replaces what is not UTF-8.
            WriteJsonString(output, Encoding.UTF8.GetString(text));
            return;
        }

        output.WriteByte((byte)'"');
        int next;
        while ((next = text.IndexOfAny(NeedsEscape)) >= 0)
        {
            output.Write(text[..next]);
            WriteAscii(output, Escape((char)text[next]));
            text = text[(next + 1)..];
        }

        output.Write(text);
        output.WriteByte((byte)'"');
    }

    private static void WriteJsonString(PartitionBuffer output, string text)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, bytes);
            WriteJsonString(output, bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\b' => "\\b",
        '\f' => "\\f",
        _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
    };

    private static void WriteAscii(PartitionBuffer output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        output.Advance(ascii.Length);
    }

    private static void WriteQuoted(PartitionBuffer output, ReadOnlySpan<byte> text)
    {
        var span = output.GetSpan(text.Length + 2);
        span[0] = (byte)'"';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'"';
        output.Advance(text.Length + 2);
    }

    /// <summary>PostgreSQL's <c>\x0a1b</c> as <c>"0A1B"</c>.</summary>
    private static void WriteUpperHex(PartitionBuffer output, ReadOnlySpan<byte> pgText)
    {
        var hex = pgText.StartsWith("\\x"u8) ? pgText[2..] : pgText;
        var span = output.GetSpan(hex.Length + 2);
        span[0] = (byte)'"';
        Ascii.ToUpper(hex, span[1..], out var written);
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }

    /// <summary>A date or time quoted; text that is not one (PostgreSQL's <c>infinity</c>) is sent as it is.</summary>
    private static void WriteTemporal(PartitionBuffer output, ReadOnlySpan<byte> pgText, Formatter format)
    {
        var span = output.GetSpan(MaxTemporalBytes + 2);
        var written = format(pgText, span[1..]);
        if (written < 0)
        {
            WriteQuoted(output, pgText);
            return;
        }

        span[0] = (byte)'"';
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }

    private static string Encode(string pgText, Formatter format)
    {
        var text = Encoding.UTF8.GetBytes(pgText);
        Span<byte> encoded = stackalloc byte[MaxTemporalBytes];
        var written = format(text, encoded);
        return written < 0 ? pgText : Encoding.ASCII.GetString(encoded[..written]);
    }

    private static int FormatDate(ReadOnlySpan<byte> pgText, Span<byte> destination) =>
        TryParseDate(pgText, out var days, out _) ? FormatInteger(days, destination) : -1;

    /// <summary><c>12:34:56.123456</c> is <c>45296.123456000</c>; a TIME WITH TIME ZONE's offset is dropped.</summary>
    private static int FormatTime(ReadOnlySpan<byte> pgText, Span<byte> destination)
    {
        var end = pgText[1..].IndexOfAny((byte)'+', (byte)'-');
        return FormatSeconds(ParseClock(end < 0 ? pgText : pgText[..(end + 1)]), destination);
    }

    private static int FormatWallClock(ReadOnlySpan<byte> pgText, Span<byte> destination) =>
        FormatTimestamp(pgText, destination, readOffset: false, appendOffset: false);

    private static int FormatWithOffset(ReadOnlySpan<byte> pgText, Span<byte> destination) =>
        FormatTimestamp(pgText, destination, readOffset: true, appendOffset: true);

    /// <summary>A TIMESTAMP_LTZ: the instant as epoch seconds, without the offset TIMESTAMP_TZ carries.</summary>
    private static int FormatInstant(ReadOnlySpan<byte> pgText, Span<byte> destination) =>
        FormatTimestamp(pgText, destination, readOffset: true, appendOffset: false);

    private static int FormatTimestamp(ReadOnlySpan<byte> pgText, Span<byte> destination, bool readOffset, bool appendOffset)
    {
        if (!TryParseDate(pgText, out var days, out var afterDate) || afterDate >= pgText.Length)
        {
            return -1;
        }

        var bc = pgText.EndsWith(" BC"u8);
        var body = bc ? pgText.Slice(afterDate + 1, pgText.Length - afterDate - 4) : pgText[(afterDate + 1)..];
        var offsetSeconds = 0;
        if (readOffset)
        {
            var sign = body.LastIndexOfAny((byte)'+', (byte)'-');
            if (sign > 0)
            {
                offsetSeconds = ParseOffsetSeconds(body[sign..]);
                body = body[..sign];
            }
        }

        var nanosOfDay = ParseClock(body);
        var totalNanos = (Int128)days * 86_400_000_000_000L + nanosOfDay - (Int128)offsetSeconds * 1_000_000_000L;
        var written = FormatSeconds(totalNanos, destination);
        if (appendOffset)
        {
            destination[written++] = (byte)' ';
            written += FormatInteger((offsetSeconds / 60) + 1440, destination[written..]);
        }

        return written;
    }

    /// <summary>Reads <c>YYYY-MM-DD[ BC]</c> (any number of year digits) into days since 1970-01-01.</summary>
    private static bool TryParseDate(ReadOnlySpan<byte> text, out long days, out int end)
    {
        days = 0;
        end = 0;
        var firstDash = text.Length > 1 ? text[1..].IndexOf((byte)'-') + 1 : 0;
        if (firstDash <= 0 || firstDash + 6 > text.Length
            || !TryParseDigits(text[..firstDash], out var year)
            || !TryParseDigits(text.Slice(firstDash + 1, 2), out var month)
            || !TryParseDigits(text.Slice(firstDash + 4, 2), out var day))
        {
            return false;
        }

        if (text.EndsWith(" BC"u8))
        {
            year = 1 - year; // 1 BC is astronomical year 0
        }

        end = firstDash + 6;
        days = DaysFromCivil(year, (int)month, (int)day);
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
    private static long ParseClock(ReadOnlySpan<byte> clock)
    {
        var hours = Digits(clock[..2]);
        var minutes = Digits(clock.Slice(3, 2));
        var seconds = Digits(clock.Slice(6, 2));
        long fraction = 0;
        if (clock.Length > 9 && clock[8] == '.')
        {
            var digits = clock[9..];
            fraction = Digits(digits);
            for (var i = digits.Length; i < 9; i++)
            {
                fraction *= 10;
            }
        }

        return ((((hours * 60L) + minutes) * 60) + seconds) * 1_000_000_000L + fraction;
    }

    /// <summary>Seconds east of UTC of <c>+HH[:MM[:SS]]</c>.</summary>
    private static int ParseOffsetSeconds(ReadOnlySpan<byte> offset)
    {
        var sign = offset[0] == '-' ? -1 : 1;
        var parts = offset[1..];
        var total = (int)Digits(parts[..2]) * 3600;
        if (parts.Length >= 5)
        {
            total += (int)Digits(parts.Slice(3, 2)) * 60;
        }

        if (parts.Length >= 8)
        {
            total += (int)Digits(parts.Slice(6, 2));
        }

        return sign * total;
    }

    private static long Digits(ReadOnlySpan<byte> text) =>
        TryParseDigits(text, out var value) ? value : throw new FormatException($"'{Encoding.UTF8.GetString(text)}' is not a number of digits.");

    /// <summary>Unsigned decimal digits only, as <see cref="NumberStyles.None"/> reads them.</summary>
    private static bool TryParseDigits(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static int FormatInteger(long value, Span<byte> destination) =>
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture) ? written : throw new ArgumentException("The destination is too short.", nameof(destination));

    /// <summary>A signed decimal number of seconds with exactly nine fraction digits.</summary>
    private static int FormatSeconds(Int128 nanos, Span<byte> destination)
    {
        var written = 0;
        if (nanos < 0)
        {
            destination[written++] = (byte)'-';
            nanos = -nanos;
        }

        written += FormatInteger((long)(nanos / 1_000_000_000), destination[written..]);
        destination[written++] = (byte)'.';
        var fraction = (long)(nanos % 1_000_000_000);
        for (var i = written + 8; i >= written; i--)
        {
            destination[i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        return written + 9;
    }
}
