using System.Data;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Npgsql;
using SnowPgMigration.Emulator.Results;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// Runs <c>COPY INTO 'azure://…' FROM (SELECT …)</c>: the query runs in the backing PostgreSQL, its rows are
/// written as gzip CSV files of at most about <c>MAX_FILE_SIZE</c> uncompressed bytes each (Snowflake's own
/// limit is approximate too), and each file is uploaded with the statement's SAS to the configured Azure
/// Storage emulator. Files are named as Snowflake names them (<c>data_0_0_0.csv.gz</c>, …) and the answer
/// is Snowflake's: one row per file with DETAILED_OUTPUT, else the totals.
/// </summary>
internal sealed class AzureUnloader(string? blobEndpoint, string spillDirectory, Func<IReadOnlyList<ResultColumn>, ResultWriter> newWriter)
{
    private static readonly HttpClient Http = new();

    public async Task<StatementResult> RunAsync(NpgsqlConnection connection, UnloadStatement unload, string rewrittenQuery, string database, CancellationToken token)
    {
        CsvUnloadFormat.Check(unload.FileFormat);
        var client = Client(unload);
        var (folder, filePrefix) = SplitLocation(client.Stage.Prefix, unload.Location);

        await using var command = new NpgsqlCommand(rewrittenQuery, connection) { AllResultTypesAreUnknown = true, CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.KeyInfo, token);
        var schema = await reader.GetColumnSchemaAsync(token);
        var columns = schema.Cast<Npgsql.Schema.NpgsqlDbColumn>().Select(c => ColumnTypeMapper.Map(c, database)).ToArray();
        string? ValueAt(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

        var files = new List<(string Name, long Size, long Rows)>();
        var line = new StringBuilder();
        UnloadFile? file = null;
        try
        {
            while (await reader.ReadAsync(token))
            {
                file ??= new UnloadFile(spillDirectory, $"{filePrefix}_0_0_{files.Count}.csv.gz");
                line.Clear();
                CsvUnloadFormat.AppendRecord(line, columns, ValueAt);
                file.Write(line);
                if (file.UncompressedBytes >= unload.MaxFileSize)
                {
                    files.Add(await file.UploadAsync(client, folder, token));
                    file = null;
                }
            }

            if (file is not null)
            {
                files.Add(await file.UploadAsync(client, folder, token));
                file = null;
            }
        }
        finally
        {
            file?.Dispose();
        }

        return unload.DetailedOutput ? Detailed(files) : Totals(files);
    }

    private AzureBlobClient Client(UnloadStatement unload)
    {
        if (blobEndpoint is null)
        {
            throw new SnowflakeErrorException(new SnowflakeError(422, "091003",
                "Failure using stage area. Cause: [The emulator has no Azure Storage emulator to write to (EmulatorOptions.AzureBlobEndpoint, or POST /_emulator/storage)]", "XX000"));
        }

        try
        {
            var account = BlobStageLocation.Parse(unload.Location, $"{blobEndpoint.TrimEnd('/')}/placeholder").Account;
            var stage = BlobStageLocation.Parse(unload.Location, $"{blobEndpoint.TrimEnd('/')}/{account}");
            return new AzureBlobClient(Http, stage, new SasToken(unload.SasToken));
        }
        catch (SfPgException error)
        {
            throw new SnowflakeErrorException(new SnowflakeError(422, "091016", $"Remote file '{unload.Location}' is not a valid Azure location: {error.Message}", "XX000"));
        }
    }

    /// <summary>
    /// A location ending in '/' is a folder and its files are <c>data_…</c>; otherwise its last segment prefixes
    /// the file names, as in Snowflake.
    /// </summary>
    private static (string Folder, string FilePrefix) SplitLocation(string prefix, string location)
    {
        if (location.EndsWith('/'))
        {
            return (prefix, "data");
        }

        var slash = prefix.LastIndexOf('/');
        return slash < 0 ? ("", prefix) : (prefix[..slash], prefix[(slash + 1)..]);
    }

    private StatementResult Detailed(List<(string Name, long Size, long Rows)> files)
    {
        using var writer = newWriter([Text("FILE_NAME"), Number("FILE_SIZE"), Number("ROW_COUNT")]);
        foreach (var (name, size, rows) in files)
        {
            writer.AppendRow(i => i switch { 0 => name, 1 => Invariant(size), _ => Invariant(rows) });
        }

        return writer.Complete();
    }

    private StatementResult Totals(List<(string Name, long Size, long Rows)> files)
    {
        using var writer = newWriter([Number("rows_unloaded"), Number("input_bytes"), Number("output_bytes")]);
        var rows = files.Sum(f => f.Rows);
        var bytes = files.Sum(f => f.Size);
        writer.AppendRow(i => i switch { 0 => Invariant(rows), _ => Invariant(bytes) });
        return writer.Complete();
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static ResultColumn Text(string name) => new()
    {
        Name = name, Type = "text", Kind = ValueKind.Text, Nullable = false,
        Length = ColumnTypeMapper.DefaultTextLength, ByteLength = ColumnTypeMapper.DefaultTextLength,
    };

    private static ResultColumn Number(string name) => new() { Name = name, Type = "fixed", Kind = ValueKind.Fixed, Precision = 19, Scale = 0, Nullable = false };

    /// <summary>One file being written: gzip into a spill file, so memory stays bounded by one record.</summary>
    private sealed class UnloadFile : IDisposable
    {
        private readonly FileStream _file;
        private readonly GZipStream _gzip;
        private readonly string _name;
        private long _rows;

        public UnloadFile(string spillDirectory, string name)
        {
            _name = name;
            _file = new FileStream(Path.Combine(spillDirectory, $"unload-{Guid.NewGuid():N}.csv.gz"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            _gzip = new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true);
        }

        public long UncompressedBytes { get; private set; }

        public void Write(StringBuilder record)
        {
            var bytes = Encoding.UTF8.GetBytes(record.ToString());
            _gzip.Write(bytes);
            UncompressedBytes += bytes.Length;
            _rows++;
        }

        public async Task<(string Name, long Size, long Rows)> UploadAsync(AzureBlobClient client, string folder, CancellationToken token)
        {
            await _gzip.DisposeAsync();
            var size = _file.Length;
            _file.Position = 0;
            await client.PutBlockBlobAsync(BlobStageLocation.Join(folder, _name), _file, token);
            Dispose();
            return (_name, size, _rows);
        }

        public void Dispose()
        {
            _gzip.Dispose();
            _file.Dispose();
        }
    }
}
