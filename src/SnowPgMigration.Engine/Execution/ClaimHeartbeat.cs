using Npgsql;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Keeps a claim (a chunk's or an unloaded file's) alive while its work runs. A missed beat is harmless and the next
/// interval beats again: the claim only goes stale if they keep failing. A claim no longer held (reset or taken over
/// elsewhere) cancels <c>lost</c>, so the work's transaction rolls back.
/// </summary>
internal static class ClaimHeartbeat
{
    public static async Task KeepAsync(Func<CancellationToken, Task<bool>> beat, TimeSpan interval, TimeProvider clock, CancellationTokenSource lost)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, clock, lost.Token).ConfigureAwait(false);
                bool held;
                try
                {
                    held = await beat(lost.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !lost.IsCancellationRequested)
                {
                    continue;
                }

                if (!held)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ends the heartbeat once the work is done, whether or not the claim was lost.</summary>
    public static async Task StopAsync(CancellationTokenSource lost, Task heartbeat)
    {
        if (!heartbeat.IsCompleted)
        {
            await lost.CancelAsync().ConfigureAwait(false);
        }

        await heartbeat.ConfigureAwait(false);
    }
}
