using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// One SQL API answer body, in any of its shapes: a full result set (metadata plus partition 0),
/// a later partition (<c>{"data":[...]}</c> only), a 202 "still running", or an error.
/// Every member is optional because each shape carries a different subset.
/// </summary>
internal sealed class SnowflakeResponseBody
{
    private static readonly JsonSerializerOptions MetadataJson = new() { PropertyNameCaseInsensitive = true };

    public string? Code { get; private set; }

    public string? Message { get; private set; }

    public string? SqlState { get; private set; }

    public string? StatementHandle { get; private set; }

    public string? StatementStatusUrl { get; private set; }

    public string? RequestId { get; private set; }

    public IReadOnlyList<string> StatementHandles { get; private set; } = [];

    public ResultSetMetadata? Metadata { get; private set; }

    /// <summary>
    /// The <c>data</c> array of this body, still as JSON (from its <c>[</c> to its <c>]</c>); null
    /// when the body had no <c>data</c>. Rows are parsed from it as they are read, so they are
    /// never held as text.
    /// </summary>
    public ReadOnlyMemory<byte>? Data { get; private set; }

    /// <summary>How many rows <see cref="Data"/> holds.</summary>
    public int DataRowCount { get; private set; }

    /// <summary>Reads a body; a gzip body whose Content-Encoding was lost on the way is inflated first.</summary>
    /// <exception cref="JsonException">The body is not JSON of the expected shape.</exception>
    public static SnowflakeResponseBody Parse(ReadOnlyMemory<byte> body)
    {
        body = Inflated(body);
        var result = new SnowflakeResponseBody();
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                (result.Data, result.DataRowCount) = LocateRows(body, ref reader);
            }
            else if (reader.ValueTextEquals("resultSetMetaData"u8))
            {
                result.Metadata = JsonSerializer.Deserialize<ResultSetMetadata>(ref reader, MetadataJson);
            }
            else if (reader.ValueTextEquals("statementHandles"u8))
            {
                result.StatementHandles = JsonSerializer.Deserialize<string[]>(ref reader) ?? [];
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                result.Code = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                result.Message = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("sqlState"u8))
            {
                result.SqlState = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("statementHandle"u8))
            {
                result.StatementHandle = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("statementStatusUrl"u8))
            {
                result.StatementStatusUrl = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                result.RequestId = ReadScalar(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return result;
    }

    /// <summary>Reads a body, or returns null when it is not SQL API JSON (an error page, an empty body).</summary>
    public static SnowflakeResponseBody? TryParse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return body.Length == 0 ? null : Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>data</c> array of a later partition's body (<c>{"data":[...]}</c>), found without
    /// reading its rows: they are read once, as they are consumed. Null when there is no <c>data</c>.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON of the expected shape.</exception>
    public static ReadOnlyMemory<byte>? FindRows(ReadOnlyMemory<byte> body)
    {
        body = Inflated(body);
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData)
            {
                return reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartArray => body[(int)reader.TokenStartIndex..],
                    _ => throw new JsonException("'data' is not an array."),
                };
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>Where the <c>data</c> array lies in the body, and its row count; the rows are only skipped.</summary>
    private static (ReadOnlyMemory<byte>? Rows, int Count) LocateRows(ReadOnlyMemory<byte> body, ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (null, 0);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("'data' is not an array.");
        }

        var start = (int)reader.TokenStartIndex;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("A row of 'data' is not an array.");
            }

            reader.Skip();
            count++;
        }

        return (body.Slice(start, (int)reader.BytesConsumed - start), count);
    }

    private static string? ReadScalar(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>A gzip body whose Content-Encoding was lost on the way, inflated; any other body as it is.</summary>
    private static ReadOnlyMemory<byte> Inflated(ReadOnlyMemory<byte> body) =>
        body.Length >= 2 && body.Span[0] == 0x1F && body.Span[1] == 0x8B ? Gunzip(body) : body;

    private static byte[] Gunzip(ReadOnlyMemory<byte> body)
    {
        using var input = new MemoryStream(body.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
