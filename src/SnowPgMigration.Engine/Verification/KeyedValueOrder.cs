using System.Globalization;
using System.Numerics;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// The one order keys are merged by, as both databases sort them: <c>ASC NULLS LAST</c>; numbers by value
/// whatever .NET type carries them; text by code point (UTF-8 bytes: Snowflake's default collation and
/// PostgreSQL's <c>COLLATE "C"</c>); NaN above every number; UUIDs by their bytes; binary byte-wise.
/// </summary>
internal static class KeyedValueOrder
{
    public static int Compare(IReadOnlyList<object?> left, IReadOnlyList<object?> right)
    {
        for (var i = 0; i < left.Count; i++)
        {
            var order = Compare(left[i], right[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    public static int Compare(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : 1) : -1;
        }

        return (left, right) switch
        {
            (string a, string b) => CodePoints(a, b),
            (double a, double b) => Doubles(a, b),
            (float a, float b) => Doubles(a, b),
            (DateTime a, DateTime b) => a.Ticks.CompareTo(b.Ticks),
            (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks.CompareTo(b.UtcTicks),
            (DateOnly a, DateOnly b) => a.CompareTo(b),
            (TimeSpan a, TimeSpan b) => a.CompareTo(b),
            (TimeOnly a, TimeOnly b) => a.CompareTo(b),
            (bool a, bool b) => a.CompareTo(b),
            (Guid a, Guid b) => string.CompareOrdinal(a.ToString("N"), b.ToString("N")),
            (byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b),
            _ when IsNumber(left) && IsNumber(right) => Numbers(left, right),
            _ => CodePoints(Text(left), Text(right)),
        };
    }

    /// <summary>A key value as people read it in a report: invariant text, strings quoted.</summary>
    public static string Render(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTime t => t.ToString(t.Kind == DateTimeKind.Utc ? "yyyy-MM-dd HH:mm:ss.ffffffZ" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        bool b => b ? "true" : "false",
        _ => Text(value),
    };

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static bool IsNumber(object value) =>
        value is long or int or short or byte or sbyte or ushort or uint or ulong or decimal or BigInteger or ExactDecimal;

    private static int Numbers(object left, object right)
    {
        if (left is not (BigInteger or ExactDecimal or ulong) && right is not (BigInteger or ExactDecimal or ulong))
        {
            return Convert.ToDecimal(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(right, CultureInfo.InvariantCulture));
        }

        // Beyond decimal's range: compare exactly as scaled integers.
        var a = Exact(left);
        var b = Exact(right);
        var scale = Math.Max(a.Scale, b.Scale);
        return (a.Unscaled * BigInteger.Pow(10, scale - a.Scale)).CompareTo(b.Unscaled * BigInteger.Pow(10, scale - b.Scale));
    }

    private static ExactDecimal Exact(object value) => value is ExactDecimal e
        ? e
        : ExactDecimal.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!);

    /// <summary>NaN sorts above every number in both databases.</summary>
    private static int Doubles(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);

    /// <summary>Code point order (the order of UTF-8 bytes): UTF-16 order with surrogates moved above U+E000-U+FFFF.</summary>
    private static int CodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return Fix(a[i]).CompareTo(Fix(b[i]));
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
