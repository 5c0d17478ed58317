using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using SnowPgMigration.Emulator;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>A raw HTTP answer from the emulator: status, headers, body text and its JSON.</summary>
public sealed record SqlApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, string Body, byte[] RawBody)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    public IReadOnlyList<string> Keys => Json.EnumerateObject().Select(p => p.Name).ToList();

    public string Code => Json.GetProperty("code").GetString()!;

    public string Handle => Json.GetProperty("statementHandle").GetString()!;

    /// <summary>The rows of <c>data</c> as strings (null for JSON null).</summary>
    public List<string?[]> Rows => Json.GetProperty("data").EnumerateArray()
        .Select(row => row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()).ToArray())
        .ToList();

    public JsonElement Column(string name) => Json.GetProperty("resultSetMetaData").GetProperty("rowType").EnumerateArray()
        .Single(c => c.GetProperty("name").GetString() == name);
}

/// <summary>
/// An emulator started in-process on a fresh PostgreSQL database (its default database), and a plain
/// HttpClient speaking the SQL API to it. Responses are read raw: gzip is decoded here, by hand, so
/// tests can assert what was on the wire.
/// </summary>
public sealed class EmulatorTestServer : IAsyncDisposable
{
    private EmulatorTestServer(EmulatorHost host, string database, string connectionString)
    {
        Host = host;
        Database = database;
        ConnectionString = connectionString;
        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseUri };
        Http.DefaultRequestHeaders.UserAgent.ParseAdd("sfpg-tests/1.0");
    }

    public EmulatorHost Host { get; }
    public HttpClient Http { get; }
    public string Database { get; }
    public string ConnectionString { get; }

    public static async Task<EmulatorTestServer> StartAsync(Func<EmulatorOptions, EmulatorOptions>? configure = null)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("emu");
        var options = new EmulatorOptions { PostgresConnectionString = connectionString, AsyncThreshold = TimeSpan.FromSeconds(10) };
        var host = await EmulatorHost.StartAsync(configure?.Invoke(options) ?? options);
        return new EmulatorTestServer(host, new NpgsqlConnectionStringBuilder(connectionString).Database!, connectionString);
    }

    /// <summary>Runs SQL directly on the emulator's PostgreSQL database (test setup and checks).</summary>
    public async Task<object?> PgAsync(string sql, string? database = null)
    {
        var connectionString = database is null ? ConnectionString : new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Runs <paramref name="action"/> while listening on <paramref name="channel"/>, and counts the
    /// notifications statements sent there with <c>pg_notify</c>: how often a statement really ran,
    /// since the emulator cannot write.
    /// </summary>
    public async Task<int> CountNotificationsAsync(string channel, Func<Task> action)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var count = 0;
        connection.Notification += (_, e) => count += e.Channel == channel ? 1 : 0;
        await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await action();
        while (await connection.WaitAsync(TimeSpan.FromMilliseconds(500)))
        {
        }

        return count;
    }

    public Task<SqlApiResponse> SubmitAsync(string statement, string query = "", object? extra = null, Action<HttpRequestMessage>? configure = null)
    {
        var body = new Dictionary<string, object?> { ["statement"] = statement, ["timeout"] = 60 };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        return SubmitRawAsync(JsonSerializer.Serialize(body), query, configure);
    }

    public async Task<SqlApiResponse> SubmitRawAsync(string json, string query = "", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/statements" + (query.Length > 0 ? "?" + query : ""))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        configure?.Invoke(request);
        return await SendAsync(request);
    }

    public async Task<SqlApiResponse> GetAsync(string handle, string query = "", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v2/statements/{handle}" + (query.Length > 0 ? "?" + query : ""));
        configure?.Invoke(request);
        return await SendAsync(request);
    }

    public async Task<SqlApiResponse> CancelAsync(string handle)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v2/statements/{handle}/cancel");
        return await SendAsync(request);
    }

    /// <summary>Polls a handle until it is no longer 202.</summary>
    public async Task<SqlApiResponse> PollAsync(string handle, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await GetAsync(handle);
            if (response.Status != HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> StatsAsync() =>
        JsonDocument.Parse(await Http.GetStringAsync("_emulator/stats")).RootElement;

    public async Task<SqlApiResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();
        var text = response.Content.Headers.ContentEncoding.Contains("gzip") ? Gunzip(raw) : Encoding.UTF8.GetString(raw);
        return new SqlApiResponse(response.StatusCode, response.Headers, response.Content.Headers, text, raw);
    }

    public static string Gunzip(byte[] raw)
    {
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
