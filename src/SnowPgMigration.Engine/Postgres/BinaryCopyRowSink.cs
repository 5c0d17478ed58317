using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format straight into a raw COPY stream: each value is
/// encoded by its column's type into one pooled buffer, which goes to the server when full. Npgsql's
/// importer binds every value as a parameter (type resolution, size and write state per value), which
/// cost as much as everything else sfpg does per row; this writes the same bytes without that.
/// </summary>
/// <remarks>Covers the scalar types conversions produce; <see cref="Supports"/> tells which.</remarks>
internal sealed class BinaryCopyRowSink : ICopyRowSink
{
    private const int FlushAt = 64 * 1024;
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1).Ticks;
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private readonly NpgsqlRawCopyStream _copy;
    private readonly short _columnCount;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushAt * 2);
    private int _length;
    private bool _completed;

    private BinaryCopyRowSink(NpgsqlRawCopyStream copy, int columnCount)
    {
        _copy = copy;
        _columnCount = checked((short)columnCount);
        Header.CopyTo(_buffer, 0);
        _length = Header.Length;
    }

    /// <summary>Whether values of <paramref name="type"/> are encoded here.</summary>
    public static bool Supports(NpgsqlDbType type) => type is NpgsqlDbType.Smallint or NpgsqlDbType.Integer or NpgsqlDbType.Bigint
        or NpgsqlDbType.Real or NpgsqlDbType.Double or NpgsqlDbType.Numeric or NpgsqlDbType.Boolean or NpgsqlDbType.Text
        or NpgsqlDbType.Uuid or NpgsqlDbType.Bytea or NpgsqlDbType.Date or NpgsqlDbType.Time or NpgsqlDbType.Timestamp
        or NpgsqlDbType.TimestampTz or NpgsqlDbType.Json or NpgsqlDbType.Jsonb;

    public static async Task<BinaryCopyRowSink> BeginAsync(NpgsqlConnection connection, string copyCommand, int columnCount, CancellationToken cancellationToken)
    {
        var copy = await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken).ConfigureAwait(false);
        return new BinaryCopyRowSink(copy, columnCount);
    }

    public void StartRow()
    {
        if (_length >= FlushAt)
        {
            _copy.Write(_buffer, 0, _length);
            _length = 0;
        }

        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), _columnCount);
    }

    public void WriteNull() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    public void Write(object value, NpgsqlDbType type)
    {
        switch (type)
        {
            case NpgsqlDbType.Smallint:
                WriteSmallint((short)value);
                break;
            case NpgsqlDbType.Integer:
                WriteInteger((int)value);
                break;
            case NpgsqlDbType.Bigint:
                WriteBigint((long)value);
                break;
            case NpgsqlDbType.Real:
                BinaryPrimitives.WriteSingleBigEndian(Field(4), (float)value);
                break;
            case NpgsqlDbType.Double:
                WriteDouble((double)value);
                break;
            case NpgsqlDbType.Boolean:
                WriteBoolean((bool)value);
                break;
            case NpgsqlDbType.Numeric:
                WriteNumeric(value);
                break;
            case NpgsqlDbType.Text or NpgsqlDbType.Json:
                WriteText((string)value, jsonbVersion: false);
                break;
            case NpgsqlDbType.Jsonb:
                WriteText((string)value, jsonbVersion: true);
                break;
            case NpgsqlDbType.Bytea:
                var bytes = (byte[])value;
                bytes.CopyTo(Field(bytes.Length));
                break;
            case NpgsqlDbType.Uuid:
                ((Guid)value).TryWriteBytes(Field(16), bigEndian: true, out _);
                break;
            case NpgsqlDbType.Date:
                WriteDate(((DateOnly)value).DayNumber);
                break;
            case NpgsqlDbType.Time:
                BinaryPrimitives.WriteInt64BigEndian(Field(8), ((TimeSpan)value).Ticks / 10);
                break;
            case NpgsqlDbType.Timestamp or NpgsqlDbType.TimestampTz:
                WriteTimestamp(((DateTime)value).Ticks);
                break;
            default:
                throw new NotSupportedException($"Binary COPY of {type} values is not encoded here; the importer writes them.");
        }
    }

    // Typed writes: the same bytes as Write for a value of that type, without it being boxed first.

    public void WriteSmallint(short value) => BinaryPrimitives.WriteInt16BigEndian(Field(2), value);

    public void WriteInteger(int value) => BinaryPrimitives.WriteInt32BigEndian(Field(4), value);

    public void WriteBigint(long value) => BinaryPrimitives.WriteInt64BigEndian(Field(8), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleBigEndian(Field(8), value);

    public void WriteBoolean(bool value) => Field(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteDate(int dayNumber) => BinaryPrimitives.WriteInt32BigEndian(Field(4), dayNumber - PostgresEpochDay);

    /// <summary>A timestamp or timestamptz from a <see cref="DateTime"/>'s ticks.</summary>
    public void WriteTimestamp(long ticks) => BinaryPrimitives.WriteInt64BigEndian(Field(8), Microseconds(ticks));

    /// <summary>
    /// A decimal whose digits fit 64 bits (nearly all) goes into digit groups by arithmetic; a wider one through its
    /// text. Both give what <see cref="WriteNumericText"/> gives for the decimal's text: groups aligned on the point,
    /// zero groups at either end left out, and the decimal's scale as the display scale.
    /// </summary>
    public void WriteNumeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            Span<char> text = stackalloc char[64];
            value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
            WriteNumericText(text[..length]);
            return;
        }

        var scale = (bits[3] >> 16) & 0xFF;
        var fractionGroups = (scale + 3) / 4;
        // Padded on the right to whole groups of four fraction digits: the lowest group is then the last fraction group.
        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var padding = GroupPadding[(fractionGroups * 4) - scale];
        Span<short> groups = stackalloc short[10];
        // Most padded mantissas fit 64 bits, where dividing by a constant is a multiplication; 128 bits is a call per division.
        var count = mantissa <= ulong.MaxValue / padding
            ? GroupsOf(mantissa * padding, groups)
            : GroupsOf((UInt128)mantissa * padding, groups);

        var lowest = 0;
        while (lowest < count && groups[lowest] == 0)
        {
            lowest++;
        }

        var written = count - lowest;
        var span = Field(8 + (2 * written));
        BinaryPrimitives.WriteInt16BigEndian(span, (short)written);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], written == 0 ? (short)0 : (short)(count - 1 - fractionGroups));
        BinaryPrimitives.WriteInt16BigEndian(span[4..], bits[3] < 0 && written > 0 ? (short)0x4000 : (short)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
        for (var i = 0; i < written; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(8 + (2 * i))..], groups[count - 1 - i]);
        }
    }

    private static readonly uint[] GroupPadding = [1, 10, 100, 1000];

    /// <summary>The base-10,000 digits of <paramref name="digits"/>, lowest first; their count.</summary>
    private static int GroupsOf<T>(T digits, Span<short> groups)
        where T : IBinaryInteger<T>
    {
        var group = T.CreateTruncating(10_000);
        var count = 0;
        while (digits != T.Zero)
        {
            groups[count++] = short.CreateTruncating(digits % group);
            digits /= group;
        }

        return count;
    }

    /// <summary>text (or json) already in UTF-8: the bytes go as they are.</summary>
    public void WriteUtf8Text(ReadOnlySpan<byte> utf8) => utf8.CopyTo(Field(utf8.Length));

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        // From here the stream ends the COPY, or throws why PostgreSQL refused it; disposing must not cancel over that.
        _completed = true;
        await _copy.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        _length = 0;
        await _copy.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // A COPY that was not completed is cancelled, so nothing half-written is kept.
        try
        {
            if (!_completed)
            {
                await _copy.CancelAsync().ConfigureAwait(false);
            }

            await _copy.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    // As Npgsql writes them with the engine's switches (NpgsqlSwitches): MaxValue and MinValue are plain values, never
    // 'infinity', and digits below a microsecond are dropped.
    private static long Microseconds(long ticks) => (ticks - PostgresEpochTicks) / 10;

    private void WriteText(string text, bool jsonbVersion)
    {
        var lengthAt = _length;
        var prefix = jsonbVersion ? 1 : 0;
        var span = Reserve(4 + prefix + Encoding.UTF8.GetMaxByteCount(text.Length));
        if (jsonbVersion)
        {
            span[4] = 1;
        }

        var written = Encoding.UTF8.GetBytes(text, span[(4 + prefix)..]);
        BinaryPrimitives.WriteInt32BigEndian(span, prefix + written);
        _length = lengthAt + 4 + prefix + written;
    }

    /// <summary>numeric: digit groups of base 10,000 with the weight of the first, its sign and display scale.</summary>
    private void WriteNumeric(object value)
    {
        if (value is decimal number)
        {
            WriteNumeric(number);
            return;
        }

        // long formats into the stack; the rare wider numbers (beyond decimal) go through their text.
        Span<char> text = stackalloc char[64];
        var length = 0;
        var wide = value switch
        {
            long l when l.TryFormat(text, out length, default, CultureInfo.InvariantCulture) => null,
            BigInteger b => b.ToString(CultureInfo.InvariantCulture),
            ExactDecimal e => e.ToString(),
            _ => throw new InvalidCastException($"A {value.GetType().Name} is not a numeric value."),
        };
        WriteNumericText(wide is null ? text[..length] : wide.AsSpan());
    }

    private void WriteNumericText(ReadOnlySpan<char> number)
    {
        var negative = number[0] == '-';
        if (negative)
        {
            number = number[1..];
        }

        var point = number.IndexOf('.');
        var integer = point < 0 ? number : number[..point];
        var fraction = point < 0 ? [] : number[(point + 1)..];

        // Groups are aligned on the decimal point: the integer part padded on the left, the fraction on the right.
        var integerGroups = (integer.Length + 3) / 4;
        var fractionGroups = (fraction.Length + 3) / 4;
        // numeric holds up to 131,072 digits before the point: only the usual sizes go on the stack.
        var groupCount = integerGroups + fractionGroups;
        Span<short> groups = groupCount <= 64 ? stackalloc short[64] : new short[groupCount];
        groups = groups[..groupCount];
        groups.Clear();
        var lead = (integerGroups * 4) - integer.Length;
        for (var i = 0; i < integer.Length; i++)
        {
            var at = lead + i;
            groups[at / 4] = (short)((groups[at / 4] * 10) + (integer[i] - '0'));
        }

        for (var i = 0; i < fraction.Length; i++)
        {
            groups[integerGroups + (i / 4)] = (short)((groups[integerGroups + (i / 4)] * 10) + (fraction[i] - '0'));
        }

        for (var i = fraction.Length; i < fractionGroups * 4; i++)
        {
            groups[integerGroups + (i / 4)] *= 10;
        }

        var first = 0;
        while (first < groups.Length && groups[first] == 0)
        {
            first++;
        }

        var last = groups.Length;
        while (last > first && groups[last - 1] == 0)
        {
            last--;
        }

        var count = last - first;
        var span = Field(8 + (2 * count));
        BinaryPrimitives.WriteInt16BigEndian(span, (short)count);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], count == 0 ? (short)0 : (short)(integerGroups - 1 - first));
        BinaryPrimitives.WriteInt16BigEndian(span[4..], negative && count > 0 ? (short)0x4000 : (short)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)fraction.Length);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(8 + (2 * i))..], groups[first + i]);
        }
    }

    /// <summary>A field's length prefix and room for its <paramref name="size"/> bytes, which the caller fills.</summary>
    private Span<byte> Field(int size)
    {
        var span = Reserve(4 + size);
        BinaryPrimitives.WriteInt32BigEndian(span, size);
        return span[4..];
    }

    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var span = _buffer.AsSpan(_length, size);
        _length += size;
        return span;
    }
}
