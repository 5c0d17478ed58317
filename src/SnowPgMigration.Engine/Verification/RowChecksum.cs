using System.Globalization;
using System.Numerics;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// An order-independent checksum of a set of rows: the wrapping sum of a 64-bit FNV-1a hash of each
/// row's canonical text. Two sets with the same rows have the same checksum whatever order the rows
/// arrive in, so parallel chunks and re-reads compare directly. Stable across processes and machines.
/// </summary>
public sealed class RowChecksum
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    private ulong _sum;

    public long Rows { get; private set; }

    /// <summary>The checksum as 16 lowercase hex digits.</summary>
    public string Value => _sum.ToString("x16", CultureInfo.InvariantCulture);

    public void AddRow(ReadOnlySpan<object?> values)
    {
        var hash = OffsetBasis;
        foreach (var value in values)
        {
            hash = Mix(hash, value);
            hash = (hash ^ 0x1F) * Prime; // column separator
        }

        _sum = unchecked(_sum + hash);
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
        null => (hash ^ 0xFF) * Prime * Prime,
        string s => Text(hash, s),
        long l => Text(hash, l.ToString(CultureInfo.InvariantCulture)),
        int i => Text(hash, i.ToString(CultureInfo.InvariantCulture)),
        short s => Text(hash, s.ToString(CultureInfo.InvariantCulture)),
        decimal d => Text(hash, d.ToString(CultureInfo.InvariantCulture)),
        BigInteger b => Text(hash, b.ToString(CultureInfo.InvariantCulture)),
        double d => Text(hash, d.ToString("R", CultureInfo.InvariantCulture)),
        float f => Text(hash, ((double)f).ToString("R", CultureInfo.InvariantCulture)),
        bool b => Text(hash, b ? "t" : "f"),
        DateOnly d => Text(hash, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime t => Text(hash, t.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)),
        DateTimeOffset t => Text(hash, t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)),
        TimeSpan t => Text(hash, t.ToString("c", CultureInfo.InvariantCulture)),
        TimeOnly t => Text(hash, t.ToTimeSpan().ToString("c", CultureInfo.InvariantCulture)),
        Guid g => Text(hash, g.ToString("D")),
        byte[] bytes => Bytes(hash, bytes),
        _ => Text(hash, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static ulong Text(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        return hash;
    }

    private static ulong Bytes(ulong hash, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
