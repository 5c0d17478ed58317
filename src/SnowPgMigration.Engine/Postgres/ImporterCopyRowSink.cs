using Npgsql;
using NpgsqlTypes;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Binary COPY through Npgsql's importer, for columns of types <see cref="BinaryCopyRowSink"/> does not
/// encode (arrays). Values go synchronously, through the generic <c>Write&lt;T&gt;</c> with the value's
/// own CLR type: as <see cref="object"/> Npgsql would resolve the type of every value, and an awaited call
/// per value costs more than the write itself, since the buffer only touches the socket when full.
/// </summary>
internal sealed class ImporterCopyRowSink(NpgsqlBinaryImporter importer) : ICopyRowSink
{
    public static async Task<ImporterCopyRowSink> BeginAsync(NpgsqlConnection connection, string copyCommand, CancellationToken cancellationToken) =>
        new(await connection.BeginBinaryImportAsync(copyCommand, cancellationToken).ConfigureAwait(false));

    public void StartRow() => importer.StartRow();

    public void WriteNull() => importer.WriteNull();

    public async Task CompleteAsync(CancellationToken cancellationToken) =>
        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => importer.DisposeAsync();

    public void Write(object value, NpgsqlDbType type)
    {
        switch (value)
        {
            case string text:
                importer.Write(text, type);
                break;
            case long whole:
                importer.Write(whole, type);
                break;
            case decimal number:
                importer.Write(number, type);
                break;
            case int whole:
                importer.Write(whole, type);
                break;
            case short whole:
                importer.Write(whole, type);
                break;
            case double real:
                importer.Write(real, type);
                break;
            case float real:
                importer.Write(real, type);
                break;
            case bool flag:
                importer.Write(flag, type);
                break;
            case DateTime instant:
                importer.Write(instant, type);
                break;
            case DateOnly day:
                importer.Write(day, type);
                break;
            case TimeSpan time:
                importer.Write(time, type);
                break;
            case Guid id:
                importer.Write(id, type);
                break;
            case byte[] bytes:
                importer.Write(bytes, type);
                break;
            default:
                // Exact decimals beyond decimal, big integers, arrays: rare, resolved by their runtime type.
                importer.Write(value, type);
                break;
        }
    }
}
