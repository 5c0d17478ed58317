using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>What the replay server answers to one request.</summary>
internal sealed record ReplayResponse(int Status, byte[] Body)
{
    public static ReplayResponse Json(int status, string body) => new(status, Encoding.UTF8.GetBytes(body));

    public string? ContentEncoding { get; init; }

    public string? Link { get; init; }

    public string? RetryAfter { get; init; }

    /// <summary>Gzip the body on the way out and say so in Content-Encoding, as Snowflake does for later partitions.</summary>
    public bool Gzip { get; init; }

    /// <summary>Wait this long before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Answer only once this task has completed: the test decides when the server answers.</summary>
    public Task? HeldUntil { get; init; }

    /// <summary>Announce the whole body, send only its first bytes, then drop the connection (a reset mid-body).</summary>
    public bool Abort { get; init; }
}

/// <summary>A request as the server received it.</summary>
internal sealed record ReceivedRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers SQL API requests from scripted or recorded
/// responses. Routes are "METHOD path" or "METHOD path?partition=N"; each route answers its
/// responses in order and then keeps repeating the last one.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Queue<Func<ReceivedRequest, ReplayResponse>>> _routes = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ReplayServer()
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    /// <summary>Adds answers to a route, e.g. <c>"POST /api/v2/statements"</c> or <c>"GET /api/v2/statements/h?partition=1"</c>.</summary>
    public ReplayServer On(string route, params ReplayResponse[] responses)
    {
        foreach (var response in responses)
        {
            On(route, _ => response);
        }

        return this;
    }

    public ReplayServer On(string route, Func<ReceivedRequest, ReplayResponse> respond)
    {
        var queue = _routes.GetOrAdd(route, _ => new Queue<Func<ReceivedRequest, ReplayResponse>>());
        lock (queue)
        {
            queue.Enqueue(respond);
        }

        return this;
    }

    public ReplayServer On(Recording recording) =>
        On($"{recording.Method} {recording.Path}{PartitionSuffix(recording.Query)}", recording.ToResponse());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // Stopping the listener ends the accept loop with an exception; nothing to report.
        }

        _stop.Dispose();
    }

    private static string PartitionSuffix(string? query)
    {
        var partition = query?.Split('&').FirstOrDefault(p => p.StartsWith("partition=", StringComparison.Ordinal));
        return partition is null ? string.Empty : "?" + partition;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var query = request.QueryString.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.QueryString[k]!);
        var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedRequest(request.HttpMethod, request.Url!.AbsolutePath, query, headers, body, DateTimeOffset.UtcNow);
        _received.Enqueue(received);

        var route = $"{received.Method} {received.Path}{(query.TryGetValue("partition", out var p) ? "?partition=" + p : string.Empty)}";
        var response = Next(route)?.Invoke(received)
            ?? ReplayResponse.Json(404, $"{{\"code\":\"test\",\"message\":\"no replay route for {route}\"}}");
        if (response.Delay > TimeSpan.Zero)
        {
            await Task.Delay(response.Delay);
        }

        if (response.HeldUntil is { } held)
        {
            await held;
        }

        var bytes = response.Body;
        if (response.Abort)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = 4096;
            await context.Response.OutputStream.WriteAsync("{\"resultSetMetaData\""u8.ToArray());
            await context.Response.OutputStream.FlushAsync();
            context.Response.Abort();
            return;
        }

        if (response.Gzip)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            {
                gzip.Write(bytes);
            }

            bytes = buffer.ToArray();
            context.Response.AddHeader("Content-Encoding", "gzip");
        }
        else if (response.ContentEncoding is { } encoding)
        {
            context.Response.AddHeader("Content-Encoding", encoding);
        }

        if (response.Link is { } link)
        {
            context.Response.AddHeader("Link", link);
        }

        if (response.RetryAfter is { } retryAfter)
        {
            context.Response.AddHeader("Retry-After", retryAfter);
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (HttpListenerException)
        {
            // The client went away (a canceled prefetch); nothing to answer.
        }
    }

    private Func<ReceivedRequest, ReplayResponse>? Next(string route)
    {
        if (!_routes.TryGetValue(route, out var queue))
        {
            return null;
        }

        lock (queue)
        {
            return queue.Count > 1 ? queue.Dequeue() : queue.Count == 1 ? queue.Peek() : null;
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
