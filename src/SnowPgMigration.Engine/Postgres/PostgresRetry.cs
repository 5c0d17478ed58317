using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Retries a status or target call through transient failures (<see cref="FailureClassification"/>) for a
/// bounded time, so a server restart or a moment without free connections is ridden out, not reported
/// as a failed run. Only for calls that are safe to repeat: reads, and writes guarded by their own
/// conditions (claims, heartbeats, upserts).
/// </summary>
public static class PostgresRetry
{
    /// <summary>How long a call keeps trying before its failure stands.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(2);

    public static Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ExecuteAsync(
            async ct =>
            {
                await call(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            budget);
    }

    /// <param name="onRetry">Told of each failure that is retried and the wait before the next try, so retries show in verbose output.</param>
    /// <param name="clock">The clock of the budget and the waits; the system clock unless a test passes a fake one.</param>
    public static async Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        TimeSpan? budget = null,
        Action<Exception, TimeSpan>? onRetry = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        clock ??= TimeProvider.System;
        var deadline = clock.GetUtcNow() + (budget ?? DefaultBudget);
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (FailureClassification.IsTransient(ex) && !cancellationToken.IsCancellationRequested && clock.GetUtcNow() + delay < deadline)
            {
                onRetry?.Invoke(ex, delay);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }
}
