using System.Text;
using System.Text.Json;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>One recorded SQL API exchange from <c>tests/Support/Snowflake/Recordings</c> (format in its README).</summary>
internal sealed record Recording(
    string FileName,
    string Method,
    string Path,
    string? Query,
    string? RequestBody,
    int Status,
    IReadOnlyDictionary<string, string[]> ResponseHeaders,
    byte[] ResponseBody)
{
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "Snowflake", "Recordings");

    /// <summary>Loads <c>snowflake-NNN-*.json</c> by its number.</summary>
    public static Recording Load(int number)
    {
        var prefix = $"snowflake-{number:D3}-";
        var file = System.IO.Directory.GetFiles(Directory, prefix + "*.json").Single();
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        var request = json.RootElement.GetProperty("request");
        var response = json.RootElement.GetProperty("response");
        var headers = response.GetProperty("header").EnumerateObject()
            .ToDictionary(h => h.Name, h => h.Value.EnumerateArray().Select(v => v.GetString()!).ToArray(), StringComparer.OrdinalIgnoreCase);
        var body = response.TryGetProperty("binary", out var binary)
            ? Convert.FromBase64String(binary.GetString()!)
            : Encoding.UTF8.GetBytes(response.GetProperty("body").GetString()!);
        return new Recording(
            System.IO.Path.GetFileName(file),
            request.GetProperty("method").GetString()!,
            request.GetProperty("path").GetString()!,
            request.TryGetProperty("query", out var query) ? query.GetString() : null,
            request.TryGetProperty("body", out var requestBody) ? requestBody.GetString() : null,
            response.GetProperty("status").GetInt32(),
            headers,
            body);
    }

    /// <summary>The recorded answer, replayed with the headers that matter to a client.</summary>
    public ReplayResponse ToResponse() => new(Status, ResponseBody)
    {
        ContentEncoding = ResponseHeaders.TryGetValue("Content-Encoding", out var encoding) ? encoding[0] : null,
        Link = ResponseHeaders.TryGetValue("Link", out var link) ? link[0] : null,
    };

    /// <summary>The Snowflake statement text the recording's request sent.</summary>
    public string Statement => RequestBody is null
        ? string.Empty
        : JsonDocument.Parse(RequestBody).RootElement.TryGetProperty("statement", out var s) ? s.GetString()! : string.Empty;
}
