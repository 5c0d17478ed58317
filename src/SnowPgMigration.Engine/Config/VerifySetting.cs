using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The <c>verify</c> key (root, source or table; the nearest wins): how a table is compared with its source after a
/// load. <c>counts</c> by default, since counting per range costs seconds and no rows travel.
/// </summary>
internal static class VerifySetting
{
    public const string Key = "verify";

    public const VerifyDepth Default = VerifyDepth.Counts;

    /// <summary>The block's own setting, or <paramref name="inherited"/> when it has none (or an invalid one, reported).</summary>
    public static VerifyDepth Read(ConfigDocumentReader reader, ConfigObject block, VerifyDepth inherited)
    {
        var text = block.String(Key);
        if (text is null)
        {
            return inherited;
        }

        if (VerifyDepthNames.TryParse(text, out var depth))
        {
            return depth;
        }

        if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            // Completed means verified against the target: a table is never completed on its chunks' own counters.
            reader.Error(
                ErrorCatalog.ConfigInvalidValue,
                block.PathOf(Key),
                $"'{text}' is not a valid {Key}: a table is completed only when its target, read back, agrees with the source",
                $"Use one of: {string.Join(", ", VerifyDepthNames.All)} (counts costs a COUNT per range on each side; no rows travel).");
            return inherited;
        }

        var suggestion = NameSuggestion.Closest(text, VerifyDepthNames.All);
        reader.Error(
            ErrorCatalog.ConfigInvalidValue,
            block.PathOf(Key),
            $"'{text}' is not a valid {Key}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
            $"Use one of: {string.Join(", ", VerifyDepthNames.All)}.");
        return inherited;
    }
}
