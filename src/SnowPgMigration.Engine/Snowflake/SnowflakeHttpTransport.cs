using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Sends SQL API requests with authentication headers, gzip, and retries: 429, 503, 504,
/// timeouts and broken connections are retried with exponential backoff and jitter, honouring
/// <c>Retry-After</c>; every other answer (4xx statement errors included) goes back to the caller.
/// Each answer body is read whole inside the retry, so a response cut mid-body is retried too.
/// </summary>
internal sealed class SnowflakeHttpTransport : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly SnowflakeTokenSource _tokens;
    private readonly ResiliencePipeline<SnowflakeHttpResponse> _pipeline;
    private readonly ILogger _logger;
    private readonly string _userAgent;
    private readonly TimeProvider _clock;

    // Set by the first answer of any kind. Before it, a refused connection or an unknown host is a wrong
    // account or host, not a passing outage: it fails at once instead of spending every retry.
    private volatile bool _answered;

    public SnowflakeHttpTransport(Uri baseAddress, SnowflakeTokenSource tokens, SnowflakeClientOptions options)
    {
        _tokens = tokens;
        _logger = options.Logger ?? NullLogger.Instance;
        _userAgent = options.UserAgent;
        _clock = options.TimeProvider;
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = BuildPipeline(options, _logger, () => _answered);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public SnowflakeTokenSource Tokens => _tokens;

    /// <summary>
    /// Sends one request, retrying as described. With <paramref name="markRetries"/> every resend
    /// carries <c>retry=true</c>, which with the same <c>requestId</c> keeps a resubmitted statement
    /// from running twice. A 401 on a JWT is answered once by signing a new token.
    /// </summary>
    public async Task<SnowflakeHttpResponse> SendAsync(
        HttpMethod method, string pathAndQuery, byte[]? body, bool markRetries, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var renewed = false;
        while (true)
        {
            SnowflakeHttpResponse response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    async ct =>
                    {
                        var attempt = attempts++;
                        var uri = markRetries && attempt > 0
                            ? pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "retry=true"
                            : pathAndQuery;
                        return await SendOnceAsync(method, uri, body, ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsUnreachable(ex) && !_answered && !cancellationToken.IsCancellationRequested)
            {
                throw new SnowflakeException(
                    ErrorCatalog.SnowflakeUnreachable,
                    $"Snowflake at {BaseAddress} could not be reached at all: {ex.Message}. Check snowflake.account (and snowflake.host / port / scheme " +
                    "when set) and that this machine can resolve and reach it.",
                    innerException: ex);
            }
            catch (Exception ex) when (IsTransportFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                throw new SnowflakeException(
                    ErrorCatalog.SnowflakeUnavailable,
                    $"Snowflake at {BaseAddress} did not answer {method} {PathOnly(pathAndQuery)} after {attempts} attempt(s): {ex.Message}",
                    innerException: ex);
            }

            if (response.Status == HttpStatusCode.Unauthorized && _tokens.CanRenew && !renewed)
            {
                // An expired or clock-skewed JWT: sign a fresh one and resend once.
                SnowflakeLog.RenewingRejectedToken(_logger);
                _tokens.Invalidate();
                renewed = true;
                continue;
            }

            return response;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The answers that mean "overloaded or briefly away": retried, and <see cref="ErrorCatalog.SnowflakeUnavailable"/> when retries run out.</summary>
    internal static bool IsRetriedStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private async Task<SnowflakeHttpResponse> SendOnceAsync(HttpMethod method, string pathAndQuery, byte[]? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.GetToken());
        request.Headers.Add("X-Snowflake-Authorization-Token-Type", _tokens.TokenType);
        request.Headers.Accept.Add(JsonMediaType);
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        _answered = true;
        var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var bytes = await PooledResponseBody.ReadAsync(content, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
            return new SnowflakeHttpResponse(response.StatusCode, RetryAfterOf(response, _clock), bytes);
        }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider clock)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static ResiliencePipeline<SnowflakeHttpResponse> BuildPipeline(SnowflakeClientOptions options, ILogger logger, Func<bool> answered)
    {
        var maxDelay = options.RetryMaxDelay;
        // Back-off waits and attempt timeouts run on the client's clock, so tests can drive them with a fake one.
        return new ResiliencePipelineBuilder<SnowflakeHttpResponse> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<SnowflakeHttpResponse>
            {
                MaxRetryAttempts = Math.Max(0, options.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome switch
                {
                    { Exception: { } ex } => FailureClassification.IsTransient(ex) && !(IsUnreachable(ex) && !answered()) && !args.Context.CancellationToken.IsCancellationRequested,
                    { Result: { } r } => IsRetriedStatus(r.Status),
                    _ => false,
                }),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result?.RetryAfter is { } wait ? (wait < maxDelay ? wait : maxDelay) : null),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } ex ? ex.GetType().Name : "HTTP " + args.Outcome.Result?.StatusCode;
                    SnowflakeLog.RetryingRequest(logger, args.AttemptNumber + 1, reason, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>No connection could be made at all: the name did not resolve, or nothing listens there.</summary>
    private static bool IsUnreachable(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError }
            && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.TryAgain
                or SocketError.NoData or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable };

    /// <summary>
    /// The request got no usable answer: the connection failed or dropped, or the attempt ran out of time. Part of
    /// <see cref="FailureClassification"/>; such failures are retried, and when retries run out they are
    /// <see cref="ErrorCatalog.SnowflakeUnavailable"/>.
    /// </summary>
    internal static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or IOException or SocketException or TimeoutRejectedException;

    private static string PathOnly(string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? pathAndQuery : pathAndQuery[..query];
    }
}
