namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The tables a command works on, the same for migrate, verify, repair and integrity: the enabled sources, or those
/// named (<see cref="SourceSelection"/>); of each, the enabled tables, or the one named by its target or source name
/// (any case). A source left without a table is left out.
/// </summary>
public static class TableSelection
{
    public static IReadOnlyList<(SourceConfig Source, IReadOnlyList<TableConfig> Tables)> Select(MigrationConfig config, string? sources, string? table)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Sources
            .Where(s => sources is null ? s.Enabled : SourceSelection.Includes(sources, s.SourceName))
            .Select(s => (Source: s, Tables: TablesOf(s, table)))
            .Where(s => s.Tables.Count > 0)
            .ToList();
    }

    public static IReadOnlyList<TableConfig> TablesOf(SourceConfig source, string? table)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Tables
            .Where(t => table is null
                ? t.Enabled
                : string.Equals(t.Target, table, StringComparison.OrdinalIgnoreCase)
                  || string.Equals(t.Source, table, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>What an empty selection asked for, for its error: "source 'x' with table 'y' has an enabled table in config.json".</summary>
    public static string NothingSelected(MigrationConfig config, string? sources, string? table)
    {
        ArgumentNullException.ThrowIfNull(config);
        var what = sources is null ? "no enabled source" : $"source '{sources}'";
        var named = table is null ? "" : $" with table '{table}'";
        return $"{what}{named} has an enabled table in {config.SourcePath ?? "the config"}";
    }
}
