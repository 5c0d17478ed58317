using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Reads a row stream ahead on its own task into a bounded buffer, so the two sides of a merge are read (and
/// Snowflake's statement executed) at the same time instead of in turns. Memory: at most <c>batches</c> batches
/// of <c>batchRows</c> rows.
/// </summary>
internal static class KeyedPrefetch
{
    public static async IAsyncEnumerable<object?[]> ReadAheadAsync(
        IAsyncEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken cancellationToken, int batchRows = 512, int batches = 8)
    {
        var channel = Channel.CreateBounded<object?[][]>(new BoundedChannelOptions(batches) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var batch = new List<object?[]>(batchRows);
                    await foreach (var row in rows.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        batch.Add(row);
                        if (batch.Count == batchRows)
                        {
                            await channel.Writer.WriteAsync(batch.ToArray(), stop.Token).ConfigureAwait(false);
                            batch.Clear();
                        }
                    }

                    if (batch.Count > 0)
                    {
                        await channel.Writer.WriteAsync(batch.ToArray(), stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var row in batch)
                    {
                        yield return row;
                    }
                }
            }
        }
        finally
        {
            // Left early (a failure on the other side, or the caller stopped): stop reading ahead and let the reader close.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }
}
