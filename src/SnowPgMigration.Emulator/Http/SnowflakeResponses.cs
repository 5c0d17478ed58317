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

    /// <summary>A full result set: metadata, partition 0's rows, and the statement's fields.</summary>
    public static byte[] Result(EmulatedStatement statement, StatementResult result) => Write(writer =>
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
        var rows = result.ReadFirstPartitionRows();
        var data = new byte[rows.Length + 4];
        "[ "u8.CopyTo(data);
        rows.CopyTo(data, 2);
        " ]"u8.CopyTo(data.AsSpan(rows.Length + 2));
        writer.WriteRawValue(rows.Length == 0 ? "[ ]"u8 : data, skipInputValidation: true);

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
