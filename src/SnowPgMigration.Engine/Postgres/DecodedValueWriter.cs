using System.Buffers;
using System.Text.Unicode;
using NpgsqlTypes;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Writes a decoded source value straight from its typed cell into binary COPY and the row's hash,
/// when its column converts it plainly: the bytes and the hash are those the general path
/// (<see cref="ColumnConversion.Convert"/>, <see cref="BinaryCopyRowSink.Write"/>, <see cref="RowChecksum.Next(ulong, object?)"/>)
/// gives for the same value, without boxing it. Anything else (a narrowing that may refuse or round, another type,
/// a NUMBER beyond decimal) is left to the general path. One per COPY: it keeps a buffer for text.
/// </summary>
internal sealed class DecodedValueWriter(BinaryCopyRowSink sink) : IDisposable
{
    private char[] _chars = ArrayPool<char>.Shared.Rent(256);

    /// <summary>Writes the value and hashes it; false, having done neither, when the general path must.</summary>
    public bool TryWrite(ColumnConversion column, SnowflakeRow row, int source, ref ulong hash)
    {
        if (column.PlainLimits is not { } limits)
        {
            return false;
        }

        var kind = row.KindOf(source);
        switch (column.DbType)
        {
            case NpgsqlDbType.Bigint when kind == SnowflakeCellKind.Integer:
                sink.WriteBigint(row.Integer(source));
                hash = RowChecksum.NextInteger(hash, row.Integer(source));
                return true;
            case NpgsqlDbType.Integer when kind == SnowflakeCellKind.Integer && row.Integer(source) is >= int.MinValue and <= int.MaxValue:
                sink.WriteInteger((int)row.Integer(source));
                hash = RowChecksum.NextInteger(hash, row.Integer(source));
                return true;
            case NpgsqlDbType.Smallint when kind == SnowflakeCellKind.Integer && row.Integer(source) is >= short.MinValue and <= short.MaxValue:
                sink.WriteSmallint((short)row.Integer(source));
                hash = RowChecksum.NextInteger(hash, row.Integer(source));
                return true;
            case NpgsqlDbType.Numeric when kind is SnowflakeCellKind.Decimal or SnowflakeCellKind.Integer:
                var number = kind == SnowflakeCellKind.Decimal ? row.Decimal(source) : row.Integer(source);
                if (limits.Precision is { } precision && !ColumnConversion.FitsAsIs(number, precision, limits.Scale ?? 0))
                {
                    return false;
                }

                sink.WriteNumeric(number);
                hash = RowChecksum.NextDecimal(hash, number);
                return true;
            case NpgsqlDbType.Double when kind == SnowflakeCellKind.Double:
                sink.WriteDouble(row.Double(source));
                hash = RowChecksum.NextDouble(hash, row.Double(source));
                return true;
            case NpgsqlDbType.Boolean when kind == SnowflakeCellKind.Boolean:
                sink.WriteBoolean(row.Boolean(source));
                hash = RowChecksum.NextBoolean(hash, row.Boolean(source));
                return true;
            case NpgsqlDbType.Date when kind == SnowflakeCellKind.Date:
                sink.WriteDate(row.DayNumber(source));
                hash = RowChecksum.NextDate(hash, row.DayNumber(source));
                return true;
            case NpgsqlDbType.Timestamp or NpgsqlDbType.TimestampTz when kind is SnowflakeCellKind.TimestampNtz or SnowflakeCellKind.TimestampLtz or SnowflakeCellKind.TimestampTz:
                var ticks = TimestampTicks(column.DbType, kind, row.Ticks(source));
                sink.WriteTimestamp(ticks);
                hash = RowChecksum.NextTimestamp(hash, ticks);
                return true;
            case NpgsqlDbType.Text when kind == SnowflakeCellKind.Text:
                return TryWriteText(row.Utf8(source), limits.Length, ref hash);
            default:
                return false;
        }
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        _chars = [];
    }

    /// <summary>
    /// The ticks the general conversion gives: a value already of the column's kind (a wall clock into timestamp, an
    /// instant into timestamptz) is kept as decoded; any other is moved to the column's kind and cut to the microsecond.
    /// </summary>
    private static long TimestampTicks(NpgsqlDbType type, SnowflakeCellKind kind, long ticks)
    {
        var ready = type == NpgsqlDbType.Timestamp ? SnowflakeCellKind.TimestampNtz : SnowflakeCellKind.TimestampLtz;
        return kind == ready ? ticks : ticks - (ticks % TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>The bytes go as they are; the hash is over their UTF-16 code units, as for the string they decode to.</summary>
    private bool TryWriteText(ReadOnlySpan<byte> utf8, int? length, ref ulong hash)
    {
        // UTF-8 never takes fewer bytes than UTF-16 code units.
        if (_chars.Length < utf8.Length)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(utf8.Length);
        }

        if (Utf8.ToUtf16(utf8, _chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done
            || (length is { } most && written > most))
        {
            // Invalid UTF-8 is refused, and text longer than varchar(n) may be refused or cut, by the general path.
            return false;
        }

        sink.WriteUtf8Text(utf8);
        hash = RowChecksum.NextText(hash, _chars.AsSpan(0, written));
        return true;
    }
}
