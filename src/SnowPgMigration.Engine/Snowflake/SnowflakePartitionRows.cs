namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// One result partition's <c>data</c> array as JSON bytes, and the pooled body they lie in, given back
/// once the partition's rows have all been read (only the row being read points into it).
/// </summary>
internal sealed class SnowflakePartitionRows(ReadOnlyMemory<byte> rows, IDisposable? body) : IDisposable
{
    public static SnowflakePartitionRows Empty { get; } = new("[]"u8.ToArray(), null);

    public ReadOnlyMemory<byte> Rows { get; } = rows;

    public void Dispose() => body?.Dispose();
}
