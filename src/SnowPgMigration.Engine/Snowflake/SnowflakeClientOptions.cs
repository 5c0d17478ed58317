using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Tuning of the HTTP side of <see cref="SnowflakeClient"/>; the defaults suit a real account.</summary>
public sealed record SnowflakeClientOptions
{
    /// <summary>Retries after the first attempt for 429, 503, 504, timeouts and broken connections.</summary>
    public int MaxRetryAttempts { get; init; } = 6;

    /// <summary>First backoff delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff delay, and the longest <c>Retry-After</c> honoured.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit on one HTTP exchange (request and the whole body); a slower one is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>First wait before asking again about a running statement; it doubles up to <see cref="PollMaxDelay"/>.</summary>
    public TimeSpan PollInitialDelay { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan PollMaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Submit with <c>async=true</c> so the statement handle is known at once and a canceled caller
    /// can cancel the statement on the server; false waits on the submit (up to 45 s) instead.
    /// </summary>
    public bool SubmitAsynchronously { get; init; } = true;

    /// <summary>Sent as <c>User-Agent</c>; the SQL API requires one.</summary>
    public string UserAgent { get; init; } = "SnowPgMigration/" + (typeof(SnowflakeClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public ILogger? Logger { get; init; }

    /// <summary>The clock for JWT issue and renewal.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
