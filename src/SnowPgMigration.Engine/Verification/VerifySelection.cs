using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Verification;

/// <summary>The tables verify and repair work on: enabled ones by default, or those named (target or source name, any case).</summary>
internal static class VerifySelection
{
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.VerifyNothingSelected"/> when nothing matches.</exception>
    public static IReadOnlyList<(SourceConfig Source, IReadOnlyList<TableConfig> Tables)> Select(MigrationConfig config, string? sourceName, string? tableName)
    {
        var selected = config.Sources
            .Where(s => sourceName is null ? s.Enabled : string.Equals(s.SourceName, sourceName, StringComparison.OrdinalIgnoreCase))
            .Select(s => (Source: s, Tables: (IReadOnlyList<TableConfig>)s.Tables
                .Where(t => tableName is null
                    ? t.Enabled
                    : string.Equals(t.Target, tableName, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Source, tableName, StringComparison.OrdinalIgnoreCase))
                .ToList()))
            .Where(s => s.Tables.Count > 0)
            .ToList();
        if (selected.Count == 0)
        {
            var what = (sourceName is null ? "no enabled source" : $"source '{sourceName}'") + (tableName is null ? "" : $" with table '{tableName}'");
            throw new SfPgException(
                ErrorCatalog.VerifyNothingSelected,
                $"Nothing to compare: {what} has an enabled table in {config.SourcePath ?? "the config"}.",
                target: tableName ?? sourceName,
                recommendedAction: null);
        }

        return selected;
    }
}
