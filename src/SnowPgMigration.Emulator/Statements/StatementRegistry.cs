using System.Collections.Concurrent;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// Every statement by handle, and by request id for idempotent resubmission. Finished statements are
/// dropped (and their spilled partitions deleted) after the retention time.
/// </summary>
internal sealed class StatementRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, EmulatedStatement> _byHandle = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EmulatedStatement> _byRequestId = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeSpan _retention;

    public StatementRegistry(TimeSpan retention) => _retention = retention;

    public int Count => _byHandle.Count;

    public void Add(EmulatedStatement statement, bool byRequestId = true)
    {
        _byHandle[statement.Handle] = statement;
        if (byRequestId)
        {
            _byRequestId[statement.RequestId] = statement;
        }
    }

    public EmulatedStatement? Find(string handle) => _byHandle.GetValueOrDefault(handle);

    public EmulatedStatement? FindByRequestId(string requestId) => _byRequestId.GetValueOrDefault(requestId);

    public IEnumerable<EmulatedStatement> Running => _byHandle.Values.Where(s => !s.IsFinished);

    public void RemoveExpired()
    {
        var cutoff = DateTimeOffset.UtcNow - _retention;
        foreach (var statement in _byHandle.Values)
        {
            if (statement.FinishedAt is { } finished && finished < cutoff && _byHandle.TryRemove(statement.Handle, out _))
            {
                _byRequestId.TryRemove(new KeyValuePair<string, EmulatedStatement>(statement.RequestId, statement));
                statement.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var statement in _byHandle.Values)
        {
            statement.RequestCancel();
        }

        foreach (var statement in _byHandle.Values)
        {
            statement.Dispose();
        }

        _byHandle.Clear();
        _byRequestId.Clear();
    }
}
