using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// An order-independent checksum of a set of rows: the wrapping sum of a 64-bit hash of each row.
/// Two sets with the same rows have the same checksum whatever order the rows arrive in, so
/// parallel chunks and re-reads compare directly. Stable across processes and machines.
/// </summary>
/// <remarks>
/// Values are hashed in a canonical binary form, not as text, and one logical value hashes the
/// same whichever .NET type carries it: integers of any width and integral decimals alike,
/// decimals without their trailing zeros (12.50 = 12.5), <see cref="DateTime"/> by its ticks
/// whatever its Kind (a <see cref="DateTimeOffset"/> by its UTC ticks), and time of day as
/// <see cref="TimeSpan"/> or <see cref="TimeOnly"/>. Nulls and column boundaries are marked,
/// so ("a", null) and (null, "a") differ.
/// </remarks>
public sealed class RowChecksum
{
    // xxHash64's primes: the per-word round and the final avalanche below are xxHash64's.
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;
    private const ulong Prime3 = 1609587929392839161UL;
    private const ulong Seed = 2870177450012600261UL;

    // One tag per family of values, so that equal bits of different kinds (0L, false, "") differ.
    private const ulong NullTag = 0xFF;
    private const ulong ColumnSeparator = 0x1F;
    private const ulong IntegerTag = 1;
    private const ulong DecimalTag = 2;
    private const ulong BigIntegerTag = 3;
    private const ulong DoubleTag = 4;
    private const ulong BooleanTag = 5;
    private const ulong TextTag = 6;
    private const ulong BytesTag = 7;
    private const ulong DateTag = 8;
    private const ulong TimestampTag = 9;
    private const ulong TimeTag = 10;
    private const ulong GuidTag = 11;
    private const ulong ArrayTag = 12;

    private ulong _sum;

    public long Rows { get; private set; }

    /// <summary>The checksum as 16 lowercase hex digits.</summary>
    public string Value => _sum.ToString("x16", CultureInfo.InvariantCulture);

    public void AddRow(ReadOnlySpan<object?> values)
    {
        _sum = unchecked(_sum + HashRow(values));
        Rows++;
    }

    /// <summary>One row's hash, the term <see cref="AddRow(ReadOnlySpan{object?})"/> adds: equal rows hash equal on both sides.</summary>
    public static ulong HashRow(ReadOnlySpan<object?> values)
    {
        var hash = Seed;
        foreach (var value in values)
        {
            hash = Next(hash, value);
        }

        return Avalanche(hash ^ (ulong)values.Length);
    }

    // A row hashed value by value, as the loader writes it, without boxing: Start, one Next per column, then AddRow.
    // Each typed Next hashes as Next(object) does for that value.

    internal static ulong Start() => Seed;

    internal static ulong Next(ulong hash, object? value) => Round(Mix(hash, value), ColumnSeparator);

    internal static ulong NextInteger(ulong hash, long value) => Round(Integer(hash, value), ColumnSeparator);

    internal static ulong NextDecimal(ulong hash, decimal value) => Round(Decimal(hash, value), ColumnSeparator);

    internal static ulong NextDouble(ulong hash, double value) => Round(Double(hash, value), ColumnSeparator);

    internal static ulong NextBoolean(ulong hash, bool value) => Round(Round(Round(hash, BooleanTag), value ? 1UL : 0UL), ColumnSeparator);

    internal static ulong NextDate(ulong hash, int dayNumber) => Round(Round(Round(hash, DateTag), (ulong)dayNumber), ColumnSeparator);

    /// <summary>A <see cref="DateTime"/> by its ticks, whatever its Kind.</summary>
    internal static ulong NextTimestamp(ulong hash, long ticks) => Round(Round(Round(hash, TimestampTag), (ulong)ticks), ColumnSeparator);

    internal static ulong NextText(ulong hash, ReadOnlySpan<char> value) => Round(Text(hash, value), ColumnSeparator);

    /// <summary>Adds a row hashed with <see cref="Start"/> and one Next per each of its <paramref name="columns"/>.</summary>
    internal void AddRow(ulong hash, int columns)
    {
        _sum = unchecked(_sum + Avalanche(hash ^ (ulong)columns));
        Rows++;
    }

    /// <summary>Adds another checksum's rows (checksums of disjoint sets combine by addition).</summary>
    public void Add(RowChecksum other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _sum = unchecked(_sum + other._sum);
        Rows += other.Rows;
    }

    private static ulong Mix(ulong hash, object? value) => value switch
    {
        null => Round(hash, NullTag),
        string s => Text(hash, s),
        long l => Integer(hash, l),
        int i => Integer(hash, i),
        short s => Integer(hash, s),
        decimal d => Decimal(hash, d),
        double d => Double(hash, d),
        DateTime t => Round(Round(hash, TimestampTag), (ulong)t.Ticks),
        DateOnly d => Round(Round(hash, DateTag), (ulong)d.DayNumber),
        bool b => Round(Round(hash, BooleanTag), b ? 1UL : 0UL),
        DateTimeOffset t => Round(Round(hash, TimestampTag), (ulong)t.UtcTicks),
        TimeSpan t => Round(Round(hash, TimeTag), (ulong)t.Ticks),
        TimeOnly t => Round(Round(hash, TimeTag), (ulong)t.Ticks),
        float f => Double(hash, f),
        BigInteger b => Big(hash, b),
        Guid g => Guid(hash, g),
        byte[] bytes => Bytes(hash, bytes),
        byte b => Integer(hash, b),
        sbyte b => Integer(hash, b),
        ushort u => Integer(hash, u),
        uint u => Integer(hash, u),
        ulong u => u <= long.MaxValue ? Integer(hash, (long)u) : Big(hash, u),
        Array array => Elements(hash, array),
        _ => Text(hash, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>An array (a VECTOR) by its length and each element in order, so one changed element changes the hash.</summary>
    private static ulong Elements(ulong hash, Array array)
    {
        hash = Round(Round(hash, ArrayTag), (ulong)array.Length);
        foreach (var element in array)
        {
            hash = Mix(hash, element);
        }

        return hash;
    }

    private static ulong Integer(ulong hash, long value) => Round(Round(hash, IntegerTag), (ulong)value);

    /// <summary>Integral decimals hash as integers; others by mantissa and scale without trailing zeros.</summary>
    private static ulong Decimal(ulong hash, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var low = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        UInt128 mantissa;
        if (bits[2] == 0)
        {
            // Most values fit 64 bits, where dividing is cheap.
            while (scale > 0 && low % 10 == 0)
            {
                low /= 10;
                scale--;
            }

            mantissa = low;
        }
        else
        {
            mantissa = ((UInt128)(uint)bits[2] << 64) | low;
            while (scale > 0 && mantissa % 10 == 0)
            {
                mantissa /= 10;
                scale--;
            }
        }

        if (scale == 0)
        {
            if (mantissa <= long.MaxValue)
            {
                var whole = (long)(ulong)mantissa;
                return Integer(hash, negative ? -whole : whole);
            }

            return Big(hash, negative ? -(BigInteger)mantissa : (BigInteger)mantissa);
        }

        hash = Round(hash, DecimalTag);
        hash = Round(hash, (ulong)mantissa);
        return Round(hash, (ulong)(mantissa >> 64) | ((ulong)scale << 32) | (negative ? 1UL << 40 : 0));
    }

    /// <summary>Integers within long's range hash as longs, so a BigInteger agrees with long and decimal.</summary>
    private static ulong Big(ulong hash, BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return Integer(hash, (long)value);
        }

        // Two's complement, little endian, fewest bytes: one form per value.
        return Words(Round(hash, BigIntegerTag), value.ToByteArray());
    }

    private static ulong Double(ulong hash, double value)
    {
        // Every NaN is the same value to a database.
        var bits = double.IsNaN(value) ? 0x7FF8000000000000UL : BitConverter.DoubleToUInt64Bits(value);
        return Round(Round(hash, DoubleTag), bits);
    }

    private static ulong Guid(ulong hash, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes);
        return Words(Round(hash, GuidTag), bytes);
    }

    private static ulong Bytes(ulong hash, byte[] value) => Words(Round(hash, BytesTag), value);

    /// <summary>A text's UTF-16 code units, four to a word (the same on every little-endian machine .NET runs on).</summary>
    private static ulong Text(ulong hash, ReadOnlySpan<char> value)
    {
        hash = Round(Round(hash, TextTag), (ulong)value.Length);
        var chars = value;
        if (BitConverter.IsLittleEndian)
        {
            foreach (var word in MemoryMarshal.Cast<char, ulong>(chars))
            {
                hash = Round(hash, word);
            }

            chars = chars[(chars.Length & ~3)..];
        }

        ulong tail = 0;
        var shift = 0;
        foreach (var c in chars)
        {
            tail |= (ulong)c << shift;
            shift += 16;
            if (shift == 64)
            {
                hash = Round(hash, tail);
                tail = 0;
                shift = 0;
            }
        }

        return shift == 0 ? hash : Round(hash, tail);
    }

    /// <summary>Bytes, eight to a little-endian word, after their count (so trailing zero bytes still count).</summary>
    private static ulong Words(ulong hash, ReadOnlySpan<byte> bytes)
    {
        hash = Round(hash, (ulong)bytes.Length);
        while (bytes.Length >= 8)
        {
            hash = Round(hash, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            bytes = bytes[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            tail |= (ulong)bytes[i] << (8 * i);
        }

        return bytes.Length == 0 ? hash : Round(hash, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong hash, ulong word) =>
        unchecked(BitOperations.RotateLeft(hash + (word * Prime2), 31) * Prime1);

    private static ulong Avalanche(ulong hash)
    {
        unchecked
        {
            hash ^= hash >> 33;
            hash *= Prime2;
            hash ^= hash >> 29;
            hash *= Prime3;
            hash ^= hash >> 32;
            return hash;
        }
    }
}
