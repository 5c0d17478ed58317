using System.IO.Compression;
using System.Text;

namespace SnowPgMigration.Emulator.Results;

/// <summary>
/// Collects rows into partitions as they stream from PostgreSQL. Only the partition being filled and
/// partition 0 (sent inline with the first response) stay in memory; each later partition is written
/// to a gzip file the moment it is full, so a result of millions of rows needs memory for two
/// partitions and disk for its compressed size. Compressing once at write time also means later
/// fetches stream the file as-is with <c>Content-Encoding: gzip</c>, as Snowflake sends them.
/// Rows are encoded as UTF-8 into one reused <see cref="PartitionBuffer"/>, value by value
/// (<see cref="StartRow"/>, <see cref="AppendValue"/>, <see cref="AppendNull"/>, <see cref="EndRow"/>).
/// </summary>
internal sealed class ResultWriter : IDisposable
{
    private static readonly byte[] PartitionPrefix = "{\"data\":["u8.ToArray();
    private static readonly byte[] PartitionSuffix = "]}"u8.ToArray();

    private readonly IReadOnlyList<ResultColumn> _columns;
    private readonly int _partitionRows;
    private readonly bool _growingPartitions;
    private readonly int _partitionMaxBytes;
    private readonly string _spillDirectory;
    private readonly string _filePrefix;
    private readonly bool _nullAsString;
    private readonly List<PartitionInfo> _partitions = [];
    private readonly PartitionBuffer _rows = new();
    /// <summary>Partition 0 above this size is kept on disk until it is sent.</summary>
    private const int FirstPartitionMemoryLimit = 64 * 1024;

    private byte[]? _firstPartitionRows;
    private string? _firstPartitionFile;
    private int _rowsInPartition;
    private int _column;
    private long _numRows;

    public ResultWriter(IReadOnlyList<ResultColumn> columns, int partitionRows, int partitionMaxBytes, string spillDirectory, string filePrefix, bool nullAsString, bool growingPartitions = false)
    {
        _growingPartitions = growingPartitions;
        _columns = columns;
        _partitionRows = Math.Max(1, partitionRows);
        _partitionMaxBytes = Math.Max(1024, partitionMaxBytes);
        _spillDirectory = spillDirectory;
        _filePrefix = filePrefix;
        _nullAsString = nullAsString;
    }

    /// <summary>Appends one row given as PostgreSQL text values (null for SQL NULL): for the few rows of a status or count.</summary>
    public void AppendRow(Func<int, string?> valueAt)
    {
        StartRow();
        for (var i = 0; i < _columns.Count; i++)
        {
            if (valueAt(i) is { } text)
            {
                AppendValue(Encoding.UTF8.GetBytes(text));
            }
            else
            {
                AppendNull();
            }
        }

        EndRow();
    }

    public void StartRow()
    {
        _rows.Write(_rowsInPartition == 0 ? "["u8 : ",\n["u8);
        _column = 0;
    }

    /// <summary>Appends the next column's value, given as PostgreSQL's UTF-8 text.</summary>
    public void AppendValue(ReadOnlySpan<byte> pgText)
    {
        if (_column > 0)
        {
            _rows.WriteByte((byte)',');
        }

        ValueEncoder.Write(_rows, _columns[_column++], pgText);
    }

    public void AppendNull()
    {
        if (_column++ > 0)
        {
            _rows.WriteByte((byte)',');
        }

        _rows.Write(_nullAsString ? "\"null\""u8 : "null"u8);
    }

    public void EndRow()
    {
        _rows.WriteByte((byte)']');
        _rowsInPartition++;
        _numRows++;
        if (_rowsInPartition >= CurrentPartitionRows() || _rows.Length >= _partitionMaxBytes)
        {
            ClosePartition();
        }
    }

    public StatementResult Complete(DmlStats? stats = null, IReadOnlyList<string>? childHandles = null)
    {
        if (_rowsInPartition > 0 || _partitions.Count == 0)
        {
            ClosePartition();
        }

        if (_partitions.Count > 1)
        {
            // Snowflake lists compressedSize for every partition of a multi-partition result.
            var first = _partitions[0];
            _partitions[0] = first with { CompressedSize = FirstPartitionGzipLength() };
        }

        var result = new StatementResult
        {
            Columns = _columns,
            Partitions = _partitions.ToArray(),
            FirstPartitionInMemory = _firstPartitionFile is null ? _firstPartitionRows : null,
            FirstPartitionFile = _firstPartitionFile,
            NumRows = _numRows,
            Stats = stats,
            ChildHandles = childHandles,
        };
        _firstPartitionRows = null;
        _rows.Dispose();
        return result;
    }

    /// <summary>Gives the partition buffer back to the pool, also when the statement failed before <see cref="Complete"/>.</summary>
    public void Dispose() => _rows.Dispose();

    private long CurrentPartitionRows() =>
        _growingPartitions ? (long)_partitionRows << Math.Min(_partitions.Count, 3) : _partitionRows;

    private void ClosePartition()
    {
        var bytes = _rows.WrittenSpan;
        var rowCount = _rowsInPartition;
        _rowsInPartition = 0;
        if (_partitions.Count == 0)
        {
            if (bytes.Length > FirstPartitionMemoryLimit)
            {
                _firstPartitionFile = Path.Combine(_spillDirectory, $"{_filePrefix}-0.json");
                using var file = new FileStream(_firstPartitionFile, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
                file.Write(bytes);
            }
            else
            {
                _firstPartitionRows = bytes.ToArray();
            }

            _partitions.Add(new PartitionInfo(rowCount, bytes.Length, null, null));
            _rows.Clear();
            return;
        }

        var path = Path.Combine(_spillDirectory, $"{_filePrefix}-{_partitions.Count}.json.gz");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest))
        {
            gzip.Write(PartitionPrefix);
            gzip.Write(bytes);
            gzip.Write(PartitionSuffix);
        }

        _partitions.Add(new PartitionInfo(rowCount, bytes.Length, new FileInfo(path).Length, path));
        _rows.Clear();
    }

    private long FirstPartitionGzipLength()
    {
        using var rows = _firstPartitionRows is { } inMemory ? new MemoryStream(inMemory, writable: false) : (Stream)File.OpenRead(_firstPartitionFile!);
        using var counter = new ByteCountingStream();
        using (var gzip = new GZipStream(counter, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(PartitionPrefix);
            rows.CopyTo(gzip);
            gzip.Write(PartitionSuffix);
        }

        return counter.Length;
    }
}
