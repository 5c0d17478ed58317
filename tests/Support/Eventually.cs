using System.Diagnostics;
using Npgsql;

namespace SnowPgMigration.Tests.Support;

/// <summary>Waits for a condition another process or task brings about (a chunk committed, a run recorded).</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan timeout, string what = "the condition")
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (PostgresException) when (clock.Elapsed < timeout)
            {
                // The status schema may not exist yet.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not true within {timeout}: {what}.");
            }

            await Task.Delay(50);
        }
    }
}
