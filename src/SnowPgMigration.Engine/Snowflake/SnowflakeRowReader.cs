using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Reads the rows of one partition's <c>data</c> array, one at a time, straight from the body's
/// UTF-8 bytes: numbers, dates, timestamps and booleans are decoded from a stack copy of their
/// characters into a <see cref="SnowflakeRow"/>'s typed cells, and text without escapes stays the
/// partition's bytes. Other values become .NET objects, strings only where they are strings anyway.
/// </summary>
internal sealed class SnowflakeRowReader
{
    // Longer non-text values (long binary hex) take the string path.
    private const int ScratchChars = 128;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly IReadOnlyList<SnowflakeColumn> _columns;
    private readonly SnowflakeCharsDecoder?[] _charDecoders;
    private readonly Func<string, object>[] _textDecoders;
    private readonly SnowflakeCellKind[] _kinds;
    private readonly string _statementHandle;
    private SnowflakeRow? _values;
    private JsonReaderState _state;
    private int _offset;
    private bool _ended;

    /// <param name="data">The <c>data</c> array, starting at its <c>[</c>; bytes after its <c>]</c> are ignored.</param>
    public SnowflakeRowReader(
        ReadOnlyMemory<byte> data,
        IReadOnlyList<SnowflakeColumn> columns,
        SnowflakeCharsDecoder?[] charDecoders,
        Func<string, object>[] textDecoders,
        string statementHandle)
    {
        _data = data;
        _columns = columns;
        _charDecoders = charDecoders;
        _textDecoders = textDecoders;
        _kinds = columns.Select((c, i) => CellKindOf(c, charDecoders[i])).ToArray();
        _statementHandle = statementHandle;
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    }

    public int RowsRead { get; private set; }

    /// <summary>The next row as a new array of .NET values, or null after the last one.</summary>
    /// <exception cref="SnowflakeException">The rows are not SQL API JSON, or a value is not its column's encoding.</exception>
    public object?[]? ReadRow()
    {
        _values ??= new SnowflakeRow(_columns.Count);
        return ReadRow(_values) ? _values.ToValues() : null;
    }

    /// <summary>Decodes the next row into <paramref name="row"/>; false after the last one.</summary>
    /// <exception cref="SnowflakeException">The rows are not SQL API JSON, or a value is not its column's encoding.</exception>
    public bool ReadRow(SnowflakeRow row)
    {
        try
        {
            return ReadRowCore(row);
        }
        catch (JsonException ex)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"Row {RowsRead} of a Snowflake result partition is not SQL API JSON: {ex.Message}"),
                _statementHandle,
                ex);
        }
    }

    private bool ReadRowCore(SnowflakeRow row)
    {
        if (_ended)
        {
            // Past the closing ']' only what follows the array in the body is left.
            return false;
        }

        var reader = new Utf8JsonReader(_data.Span[_offset..], isFinalBlock: true, _state);
        if (_offset == 0)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("'data' is not an array.");
            }
        }

        if (!reader.Read())
        {
            throw new JsonException("'data' ends before its closing ']'.");
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            _ended = true;
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A row of 'data' is not an array.");
        }

        Span<char> scratch = stackalloc char[ScratchChars];
        row.Use(_data);
        var count = _columns.Count;
        var cells = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (cells < count)
            {
                ReadCell(ref reader, row, cells, scratch);
            }
            else if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                throw new JsonException("A cell of 'data' is neither text nor null.");
            }

            cells++;
        }

        if (cells != count)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"A Snowflake result row has {cells} values for {count} columns"),
                _statementHandle);
        }

        Advance(ref reader);
        RowsRead++;
        return true;
    }

    private void Advance(ref Utf8JsonReader reader)
    {
        _offset += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>
    /// The cell each column's values are decoded into when they can be: text columns keep their bytes, and
    /// semi-structured ones (whose <c>undefined</c> is rewritten) and the rest become objects.
    /// </summary>
    private static SnowflakeCellKind CellKindOf(SnowflakeColumn column, SnowflakeCharsDecoder? charDecoder) => column.Type switch
    {
        SnowflakeDataType.Fixed when (column.Scale ?? 0) == 0 => SnowflakeCellKind.Integer,
        SnowflakeDataType.Fixed => SnowflakeCellKind.Decimal,
        SnowflakeDataType.Real => SnowflakeCellKind.Double,
        SnowflakeDataType.Boolean => SnowflakeCellKind.Boolean,
        SnowflakeDataType.Date => SnowflakeCellKind.Date,
        SnowflakeDataType.TimestampNtz => SnowflakeCellKind.TimestampNtz,
        SnowflakeDataType.TimestampLtz => SnowflakeCellKind.TimestampLtz,
        SnowflakeDataType.TimestampTz => SnowflakeCellKind.TimestampTz,
        SnowflakeDataType.Variant or SnowflakeDataType.Object or SnowflakeDataType.Array => SnowflakeCellKind.Object,
        _ when charDecoder is null => SnowflakeCellKind.Text,
        _ => SnowflakeCellKind.Object,
    };

    private void ReadCell(ref Utf8JsonReader reader, SnowflakeRow row, int column, scoped Span<char> scratch)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            row.SetNull(column);
            return;
        }

        if (token is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False))
        {
            throw new JsonException("A cell of 'data' is neither text nor null.");
        }

        var kind = _kinds[column];
        if (kind == SnowflakeCellKind.Text && token == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            // The value's bytes follow its opening quote; the row points at them instead of copying them.
            row.SetText(column, _offset + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            return;
        }

        if (kind == SnowflakeCellKind.Integer && !reader.ValueIsEscaped && SnowflakeValueDecoder.TryDecodeInt64(reader.ValueSpan, out var integer))
        {
            // Most integers need no copy into characters; any other text takes the path below, which decides what it is.
            row.Set(column, kind, integer);
            return;
        }

        if (!reader.ValueIsEscaped && TryDecodeBytes(row, column, kind, reader.ValueSpan))
        {
            return;
        }

        if (_charDecoders[column] is { } decoder && !reader.ValueIsEscaped && reader.ValueSpan.Length <= scratch.Length)
        {
            // UTF-8 never takes fewer bytes than UTF-16 code units, so the characters fit.
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, scratch);
            var chars = scratch[..length];
            try
            {
                Decode(row, column, kind, chars, decoder);
                return;
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw NotItsEncoding(column, chars.ToString(), ex);
            }
        }

        var text = token == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
        try
        {
            row.SetObject(column, _charDecoders[column] is { } longDecoder ? longDecoder(text) : _textDecoders[column](text));
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw NotItsEncoding(column, text, ex);
        }
    }

    /// <summary>
    /// The common encodings of numbers, dates and timestamps straight from the wire's UTF-8 bytes, with no copy into
    /// characters; false for any other text (a NUMBER of more than 19 digits, "inf", an out-of-range value), which
    /// the characters' path below decodes, or refuses with its message, as before.
    /// </summary>
    private static bool TryDecodeBytes(SnowflakeRow row, int column, SnowflakeCellKind kind, ReadOnlySpan<byte> utf8)
    {
        switch (kind)
        {
            case SnowflakeCellKind.Decimal when SnowflakeValueDecoder.TryDecodeDecimal(utf8, out var number):
                row.SetDecimal(column, number);
                return true;
            case SnowflakeCellKind.Double when double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out var real):
                row.Set(column, kind, BitConverter.DoubleToInt64Bits(real));
                return true;
            case SnowflakeCellKind.Date when SnowflakeValueDecoder.TryDecodeDayNumber(utf8, out var day):
                row.Set(column, kind, day);
                return true;
            case SnowflakeCellKind.TimestampNtz or SnowflakeCellKind.TimestampLtz when SnowflakeValueDecoder.TryDecodeDateTimeTicks(utf8, out var ticks):
                row.Set(column, kind, ticks);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Into the column's typed cell; a value its cell cannot hold (a NUMBER beyond int64 or decimal) becomes an object.</summary>
    private static void Decode(SnowflakeRow row, int column, SnowflakeCellKind kind, ReadOnlySpan<char> chars, SnowflakeCharsDecoder decoder)
    {
        switch (kind)
        {
            case SnowflakeCellKind.Integer when SnowflakeValueDecoder.TryDecodeInt64(chars, out var integer):
                row.Set(column, kind, integer);
                return;
            case SnowflakeCellKind.Decimal when SnowflakeValueDecoder.TryDecodeDecimal(chars, out var number):
                row.SetDecimal(column, number);
                return;
            case SnowflakeCellKind.Double:
                row.Set(column, kind, BitConverter.DoubleToInt64Bits(SnowflakeValueDecoder.DecodeDouble(chars)));
                return;
            case SnowflakeCellKind.Boolean:
                row.Set(column, kind, SnowflakeValueDecoder.DecodeBool(chars) ? 1 : 0);
                return;
            case SnowflakeCellKind.Date:
                row.Set(column, kind, SnowflakeValueDecoder.DecodeDateOnly(chars).DayNumber);
                return;
            case SnowflakeCellKind.TimestampNtz:
                row.Set(column, kind, SnowflakeValueDecoder.DecodeDateTime(chars, DateTimeKind.Unspecified).Ticks);
                return;
            case SnowflakeCellKind.TimestampLtz:
                row.Set(column, kind, SnowflakeValueDecoder.DecodeDateTime(chars, DateTimeKind.Utc).Ticks);
                return;
            case SnowflakeCellKind.TimestampTz:
                var instant = SnowflakeValueDecoder.DecodeDateTimeOffset(chars);
                row.Set(column, kind, instant.UtcTicks, (int)instant.Offset.TotalMinutes);
                return;
            default:
                row.SetObject(column, decoder(chars));
                return;
        }
    }

    private SnowflakeException NotItsEncoding(int index, string text, Exception ex)
    {
        var column = _columns[index];
        var shown = text.Length > 40 ? text[..40] + "..." : text;
        return SnowflakeErrors.InvalidResponse(
            $"Column {column.Name} ({column.TypeName}) holds '{shown}', which is not the SQL API's default encoding of that type: {ex.Message}",
            _statementHandle,
            ex);
    }
}
