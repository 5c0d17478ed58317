using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Verification;

/// <summary>The tables verify and repair work on (<see cref="TableSelection"/>), or the error that names what matched nothing.</summary>
internal static class VerifySelection
{
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.VerifyNothingSelected"/> when nothing matches.</exception>
    public static IReadOnlyList<(SourceConfig Source, IReadOnlyList<TableConfig> Tables)> Select(MigrationConfig config, string? sourceName, string? tableName)
    {
        var selected = TableSelection.Select(config, sourceName, tableName);
        if (selected.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.VerifyNothingSelected,
                $"Nothing to compare: {TableSelection.NothingSelected(config, sourceName, tableName)}.",
                target: tableName ?? sourceName,
                recommendedAction: null);
        }

        return selected;
    }
}
