using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Reads the rows of one partition's <c>data</c> array, one at a time, straight from the body's
/// UTF-8 bytes into .NET values: numbers, dates, times and booleans are decoded from a stack
/// copy of their characters, and only values that are strings anyway become strings.
/// </summary>
internal sealed class SnowflakeRowReader
{
    // Longer non-text values (long binary hex) take the string path.
    private const int ScratchChars = 128;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly IReadOnlyList<SnowflakeColumn> _columns;
    private readonly SnowflakeCharsDecoder?[] _charDecoders;
    private readonly Func<string, object>[] _textDecoders;
    private readonly string _statementHandle;
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
        _statementHandle = statementHandle;
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    }

    public int RowsRead { get; private set; }

    /// <summary>The next row, or null after the last one.</summary>
    /// <exception cref="SnowflakeException">The rows are not SQL API JSON, or a value is not its column's encoding.</exception>
    public object?[]? ReadRow()
    {
        try
        {
            return ReadRowCore();
        }
        catch (JsonException ex)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"Row {RowsRead} of a Snowflake result partition is not SQL API JSON: {ex.Message}"),
                _statementHandle,
                ex);
        }
    }

    private object?[]? ReadRowCore()
    {
        if (_ended)
        {
            // Past the closing ']' only what follows the array in the body is left.
            return null;
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
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A row of 'data' is not an array.");
        }

        Span<char> scratch = stackalloc char[ScratchChars];
        var row = new object?[_columns.Count];
        var cells = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (cells < row.Length)
            {
                row[cells] = ReadCell(ref reader, cells, scratch);
            }
            else if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                throw new JsonException("A cell of 'data' is neither text nor null.");
            }

            cells++;
        }

        if (cells != row.Length)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"A Snowflake result row has {cells} values for {row.Length} columns"),
                _statementHandle);
        }

        Advance(ref reader);
        RowsRead++;
        return row;
    }

    private void Advance(ref Utf8JsonReader reader)
    {
        _offset += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private object? ReadCell(ref Utf8JsonReader reader, int column, scoped Span<char> scratch)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        if (token is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False))
        {
            throw new JsonException("A cell of 'data' is neither text nor null.");
        }

        if (_charDecoders[column] is { } decoder && !reader.ValueIsEscaped && reader.ValueSpan.Length <= scratch.Length)
        {
            // UTF-8 never takes fewer bytes than UTF-16 code units, so the characters fit.
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, scratch);
            var chars = scratch[..length];
            try
            {
                return decoder(chars);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw NotItsEncoding(column, chars.ToString(), ex);
            }
        }

        var text = token == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
        try
        {
            return _charDecoders[column] is { } longDecoder ? longDecoder(text) : _textDecoders[column](text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw NotItsEncoding(column, text, ex);
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
