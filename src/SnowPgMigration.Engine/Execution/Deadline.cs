namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// When a run must stop claiming chunks: <c>MaxDuration</c> from the start, less the buffer in-flight
/// chunks need to finish (<c>deadline_buffer_seconds</c>).
/// </summary>
public sealed class Deadline(DateTimeOffset? end, TimeSpan buffer, TimeProvider clock)
{
    public static Deadline None { get; } = new(null, TimeSpan.Zero, TimeProvider.System);

    public static Deadline After(TimeSpan? maxDuration, TimeSpan buffer, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        return maxDuration is { } duration ? new Deadline(clock.GetUtcNow() + duration, buffer, clock) : None;
    }

    public DateTimeOffset? End => end;

    /// <summary>True once the time left is below the buffer: take no new chunk.</summary>
    public bool StopClaiming => end is { } e && e - clock.GetUtcNow() < buffer;

    /// <summary>Set once a worker declined a chunk because of the deadline.</summary>
    public bool Reached { get; private set; }

    public bool CheckBeforeClaim()
    {
        if (StopClaiming)
        {
            Reached = true;
        }

        return !Reached;
    }
}
