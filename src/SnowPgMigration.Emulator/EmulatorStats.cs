namespace SnowPgMigration.Emulator;

/// <summary>Counters tests assert on (<c>GET /_emulator/stats</c>). Fields so they can be updated with <see cref="Interlocked"/>.</summary>
#pragma warning disable CA1051 // Interlocked needs fields.
public sealed class EmulatorStats
{
    public long Requests;
    public long SubmitRequests;
    public long FetchRequests;
    public long CancelRequests;
    public long StatementsSubmitted;
    public long StatementsExecuted;
    public long StatementsFailed;
    public long StatementsCanceled;
    public long IdempotentReplays;
    public long FaultsInjected;
    public long AuthenticationFailures;

    /// <summary>Every distinct <c>QUERY_TAG</c> requests carried, as Snowflake's query history would show them.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte> QueryTags { get; } = new(StringComparer.Ordinal);

    /// <summary>A consistent-enough copy for reporting.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>
    {
        ["requests"] = Interlocked.Read(ref Requests),
        ["submitRequests"] = Interlocked.Read(ref SubmitRequests),
        ["fetchRequests"] = Interlocked.Read(ref FetchRequests),
        ["cancelRequests"] = Interlocked.Read(ref CancelRequests),
        ["statementsSubmitted"] = Interlocked.Read(ref StatementsSubmitted),
        ["statementsExecuted"] = Interlocked.Read(ref StatementsExecuted),
        ["statementsFailed"] = Interlocked.Read(ref StatementsFailed),
        ["statementsCanceled"] = Interlocked.Read(ref StatementsCanceled),
        ["idempotentReplays"] = Interlocked.Read(ref IdempotentReplays),
        ["faultsInjected"] = Interlocked.Read(ref FaultsInjected),
        ["authenticationFailures"] = Interlocked.Read(ref AuthenticationFailures),
    };
}
#pragma warning restore CA1051
