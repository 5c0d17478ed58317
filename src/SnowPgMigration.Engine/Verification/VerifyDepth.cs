namespace SnowPgMigration.Engine.Verification;

/// <summary>How deeply a table is compared with its source after a load and by verify (config key <c>verify</c>).</summary>
public enum VerifyDepth
{
    /// <summary>Row counts per chunk range on both sides; the work stays in the databases, no rows travel.</summary>
    Counts,

    /// <summary>Counts, and an order-independent checksum of every range's rows read from both sides.</summary>
    Checksums,
}

/// <summary>The config spelling of <see cref="VerifyDepth"/>.</summary>
public static class VerifyDepthNames
{
    public static readonly IReadOnlyList<string> All = ["counts", "checksums"];

    public static string ToName(this VerifyDepth depth) => depth == VerifyDepth.Checksums ? "checksums" : "counts";

    public static bool TryParse(string? text, out VerifyDepth depth)
    {
        foreach (var value in Enum.GetValues<VerifyDepth>())
        {
            if (string.Equals(value.ToName(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                depth = value;
                return true;
            }
        }

        depth = VerifyDepth.Counts;
        return false;
    }
}
