namespace SnowPgMigration.Emulator.Results;

/// <summary>One entry of <c>resultSetMetaData.partitionInfo</c>, and where a later partition's gzip body is kept.</summary>
internal sealed record PartitionInfo(int RowCount, long UncompressedSize, long? CompressedSize, string? GzipFile);

/// <summary>Row counts Snowflake reports in <c>stats</c> after DML.</summary>
internal sealed record DmlStats(long Inserted, long Deleted, long Updated);

/// <summary>
/// A finished statement's result: the metadata, partition 0's rows in memory (it is bounded by the
/// partition size) and the later partitions as gzip files on disk, deleted when the result expires.
/// </summary>
internal sealed class StatementResult : IDisposable
{
    public required IReadOnlyList<ResultColumn> Columns { get; init; }
    public required IReadOnlyList<PartitionInfo> Partitions { get; init; }

    /// <summary>Partition 0's rows when small enough to keep in memory; else they are in <see cref="FirstPartitionFile"/>.</summary>
    public byte[]? FirstPartitionInMemory { get; init; }

    /// <summary>Partition 0's rows spilled to disk, so thousands of retained results do not hold memory.</summary>
    public string? FirstPartitionFile { get; init; }
    public required long NumRows { get; init; }
    public DmlStats? Stats { get; init; }
    public IReadOnlyList<string>? ChildHandles { get; init; }

    /// <summary>UTF-8 JSON rows of partition 0, separated by <c>,\n</c>, without the enclosing brackets.</summary>
    public Stream OpenFirstPartitionRows() => FirstPartitionInMemory is { } rows
        ? new MemoryStream(rows, writable: false)
        : new FileStream(FirstPartitionFile!, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);

    /// <summary>Opens partition <paramref name="index"/> ≥ 1: a gzip stream of <c>{"data":[...]}</c>.</summary>
    public Stream OpenGzipPartition(int index) =>
        new FileStream(Partitions[index].GzipFile!, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);

    public void Dispose()
    {
        foreach (var file in Partitions.Select(p => p.GzipFile).Append(FirstPartitionFile))
        {
            if (file is not null)
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // A reader still has it open; the spill folder is removed at shutdown.
                }
            }
        }
    }
}
