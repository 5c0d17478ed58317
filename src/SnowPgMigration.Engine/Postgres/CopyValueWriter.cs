using Npgsql;
using NpgsqlTypes;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Writes one converted value into a binary COPY row, synchronously and through Npgsql's generic
/// <c>Write&lt;T&gt;</c> with the value's own CLR type. Writing it as <see cref="object"/> makes Npgsql
/// resolve the value's type for every value, and an awaited call per value costs more than the write
/// itself: the importer's buffer only touches the socket when full.
/// </summary>
internal static class CopyValueWriter
{
    /// <summary>Writes <paramref name="value"/> (never null) as <paramref name="type"/>.</summary>
    public static void Write(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type)
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
