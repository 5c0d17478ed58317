using System.Buffers;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SnowPgMigration.Emulator.Results;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator.Http;

/// <summary>
/// Writes the SQL API's response bodies and headers with the keys in the order the live service
/// sends them (see the recorded responses): result sets, 202 "in progress", cancel and error bodies.
/// </summary>
internal static class SnowflakeResponses
{
    public const string StatementsPath = "/api/v2/statements";
    public const string ResultVary = "Accept-Encoding, User-Agent";
    public const string ErrorVary = "Accept-Encoding";

    private static readonly JsonWriterOptions Pretty = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static byte[] Error(SnowflakeError error, string? handle) => Write(writer =>
    {
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        if (error.SqlState is not null)
        {
            writer.WriteString("sqlState", error.SqlState);
        }

        if (error.HasHandle)
        {
            writer.WriteString("statementHandle", handle);
        }
    });

    public static byte[] InProgress(string handle) => Write(writer =>
    {
        writer.WriteString("code", "333334");
        writer.WriteString("message", "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.");
        writer.WriteString("statementHandle", handle);
        writer.WriteString("statementStatusUrl", $"{StatementsPath}/{handle}");
    });

    /// <summary>The live service answers cancel with the v1-style status URL, kept here as recorded.</summary>
    public static byte[] Canceled(string handle) => Write(writer =>
    {
        writer.WriteString("code", "000604");
        writer.WriteString("sqlState", "57014");
        writer.WriteString("message", "SQL execution canceled");
        writer.WriteString("statementHandle", handle);
        writer.WriteString("statementStatusUrl", $"/api/statements/{handle}");
    });

    /// <summary>
    /// Sends a full result set: metadata, partition 0's rows, and the statement's fields. The rows are copied
    /// from where the result keeps them (memory or its spill file) straight into the body, or into the gzip
    /// stream when the client accepts gzip, so a large first partition is never copied whole into new arrays.
    /// </summary>
    public static async Task SendResultAsync(HttpContext context, EmulatedStatement statement, StatementResult result, string link)
    {
        var (head, tail) = ResultAroundRows(statement, result);
        var rowsLength = result.Partitions[0].UncompressedSize;
        var length = head.Length + (rowsLength == 0 ? 3 : rowsLength + 4) + tail.Length;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.Vary = ResultVary;
        response.Headers.Link = link;
        var token = context.RequestAborted;
        if (!AcceptsGzip(context.Request))
        {
            response.ContentLength = length;
            await WriteResultAsync(response.Body, head, result, tail, token);
            return;
        }

        // Room for deflate's worst case: incompressible input stored in blocks of a few bytes' overhead each
        // (zlib's deflateBound), plus gzip's 18-byte header and trailer.
        var compressed = ArrayPool<byte>.Shared.Rent(checked((int)(length + (length / 1000) + 1024)));
        try
        {
            int compressedLength;
            using (var buffer = new MemoryStream(compressed, 0, compressed.Length, writable: true))
            {
                await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                {
                    await WriteResultAsync(gzip, head, result, tail, token);
                }

                compressedLength = (int)buffer.Position;
            }

            response.Headers.ContentEncoding = "gzip";
            response.ContentLength = compressedLength;
            await response.Body.WriteAsync(compressed.AsMemory(0, compressedLength), token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private static async Task WriteResultAsync(Stream body, byte[] head, StatementResult result, byte[] tail, CancellationToken token)
    {
        await body.WriteAsync(head, token);
        if (result.Partitions[0].UncompressedSize == 0)
        {
            await body.WriteAsync("[ ]"u8.ToArray(), token);
        }
        else
        {
            await body.WriteAsync("[ "u8.ToArray(), token);
            await using (var rows = result.OpenFirstPartitionRows())
            {
                await rows.CopyToAsync(body, token);
            }

            await body.WriteAsync(" ]"u8.ToArray(), token);
        }

        await body.WriteAsync(tail, token);
    }

    /// <summary>
    /// The result set's JSON before and after the value of <c>data</c>: written whole with a one-byte
    /// placeholder for the rows, then split around it, so the keys and indentation are exactly the writer's.
    /// </summary>
    private static (byte[] Head, byte[] Tail) ResultAroundRows(EmulatedStatement statement, StatementResult result)
    {
        var placeholderEnd = 0L;
        var body = Write(writer =>
        {
            writer.WriteStartObject("resultSetMetaData");
            writer.WriteNumber("numRows", result.NumRows);
            writer.WriteString("format", "jsonv2");
            writer.WriteStartArray("partitionInfo");
            foreach (var partition in result.Partitions)
            {
                writer.WriteStartObject();
                writer.WriteNumber("rowCount", partition.RowCount);
                writer.WriteNumber("uncompressedSize", partition.UncompressedSize);
                if (partition.CompressedSize is { } compressed)
                {
                    writer.WriteNumber("compressedSize", compressed);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rowType");
            foreach (var column in result.Columns)
            {
                WriteColumn(writer, column);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();

            writer.WritePropertyName("data");
            writer.WriteRawValue("0"u8, skipInputValidation: true);
            writer.Flush();
            placeholderEnd = writer.BytesCommitted;

            writer.WriteString("code", "090001");
            if (result.ChildHandles is { } children)
            {
                writer.WriteStartArray("statementHandles");
                foreach (var child in children)
                {
                    writer.WriteStringValue(child);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("statementStatusUrl", $"{StatementsPath}/{statement.Handle}?requestId={statement.RequestId}");
            writer.WriteString("requestId", statement.RequestId);
            writer.WriteString("sqlState", "00000");
            writer.WriteString("statementHandle", statement.Handle);
            writer.WriteString("message", "Statement executed successfully.");
            writer.WriteNumber("createdOn", statement.CreatedOn);
            if (result.Stats is { } stats)
            {
                writer.WriteStartObject("stats");
                writer.WriteNumber("numRowsInserted", stats.Inserted);
                writer.WriteNumber("numRowsDeleted", stats.Deleted);
                writer.WriteNumber("numRowsUpdated", stats.Updated);
                writer.WriteNumber("numDmlDuplicates", 0);
                writer.WriteEndObject();
            }
        });

        return (body[..(int)(placeholderEnd - 1)], body[(int)placeholderEnd..]);
    }

    /// <summary><c>Link</c> header: first, prev, next and last partitions, each URL with a fresh requestId.</summary>
    public static string Link(string handle, int current, int partitionCount)
    {
        string Url(int partition, string rel) => $"<{StatementsPath}/{handle}?requestId={Guid.NewGuid():D}&partition={partition}>; rel=\"{rel}\"";
        var links = new List<string> { Url(0, "first") };
        if (current > 0)
        {
            links.Add(Url(current - 1, "prev"));
        }

        if (current < partitionCount - 1)
        {
            links.Add(Url(current + 1, "next"));
        }

        links.Add(Url(partitionCount - 1, "last"));
        return string.Join(',', links);
    }

    /// <summary>Sends a JSON body, gzip-compressed when the client accepts gzip (as the live service does).</summary>
    public static async Task SendAsync(HttpContext context, int status, byte[] body, string vary, string? link = null, bool allowGzip = true)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.Vary = vary;
        if (link is not null)
        {
            response.Headers.Link = link;
        }

        if (allowGzip && AcceptsGzip(context.Request))
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(body, context.RequestAborted);
            }

            response.Headers.ContentEncoding = "gzip";
            response.ContentLength = compressed.Length;
            await response.Body.WriteAsync(compressed.GetBuffer().AsMemory(0, (int)compressed.Length), context.RequestAborted);
            return;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task SendErrorAsync(HttpContext context, SnowflakeError error, string? handle) =>
        SendAsync(context, error.HttpStatus, Error(error, handle), ErrorVary);

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));

    private static void WriteColumn(Utf8JsonWriter writer, ResultColumn column)
    {
        writer.WriteStartObject();
        writer.WriteString("name", column.Name);
        writer.WriteString("database", column.Database);
        writer.WriteString("schema", column.Schema);
        writer.WriteString("table", column.Table);
        writer.WriteNull("collation");
        WriteNumberOrNull(writer, "precision", column.Precision);
        WriteNumberOrNull(writer, "scale", column.Scale);
        writer.WriteBoolean("nullable", column.Nullable);
        WriteNumberOrNull(writer, "byteLength", column.ByteLength);
        WriteNumberOrNull(writer, "length", column.Length);
        writer.WriteString("type", column.Type);
        if (column.ExtTypeName is { } extended)
        {
            writer.WriteString("extTypeName", extended);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Pretty))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
