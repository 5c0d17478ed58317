using System.Collections.Concurrent;
using System.Threading.Channels;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// The engine's events (its log lines and its progress, two channels) on their way to the pipeline thread. Log lines (warnings above all) are all kept, in order;
/// progress keeps only the latest record per activity, so a slow host sees fresh progress and never loses a line.
/// </summary>
/// <remarks>
/// A progress record waits in a slot per activity; the first record into an empty slot also queues a token, and
/// the reader takes the slot's latest record when it meets the token. A record that arrives while a token is
/// queued only replaces the slot, so the queue holds at most one token per activity.
/// </remarks>
internal sealed class EngineEventQueue
{
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, ProgressEvent> _latestProgress = new();

    /// <summary>Called from any thread, by the engine's log sink and its progress channel alike.</summary>
    public void Report(EngineEvent engineEvent)
    {
        if (engineEvent is ProgressEvent progress)
        {
            var slotWasEmpty = false;
            _latestProgress.AddOrUpdate(progress.ActivityId, _ =>
            {
                slotWasEmpty = true;
                return progress;
            }, (_, _) => progress);
            if (!slotWasEmpty)
            {
                return;
            }
        }

        _events.Writer.TryWrite(engineEvent);
    }

    /// <summary>No more events: the reader ends once it has taken what is queued.</summary>
    public void Complete() => _events.Writer.TryComplete();

    /// <summary>Waits until an event can be read; false once completed and drained.</summary>
    public bool WaitToRead() => _events.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The next event: a log line as reported, or the latest progress of an activity.</summary>
    public bool TryRead(out EngineEvent engineEvent)
    {
        while (_events.Reader.TryRead(out var next))
        {
            if (next is not ProgressEvent token)
            {
                engineEvent = next;
                return true;
            }

            if (_latestProgress.TryRemove(token.ActivityId, out var latest))
            {
                engineEvent = latest;
                return true;
            }
        }

        engineEvent = null!;
        return false;
    }
}
