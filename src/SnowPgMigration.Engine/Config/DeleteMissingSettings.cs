using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>What an incremental load does with target rows whose key the source no longer has.</summary>
public enum DeleteMissingMode
{
    /// <summary>Nothing: rows deleted in the source stay on the target.</summary>
    Off,

    /// <summary>Deletes them.</summary>
    Hard,

    /// <summary>Sets <see cref="DeleteMissingSettings.SoftDeleteColumn"/> to the time they were found gone.</summary>
    Soft,
}

/// <summary>A table's <c>delete_missing</c>, <c>soft_delete_column</c> and <c>max_delete_ratio</c>.</summary>
/// <param name="Mode">Off, hard or soft.</param>
/// <param name="SoftDeleteColumn">For soft: the target's timestamptz column set to the detection time.</param>
/// <param name="MaxDeleteRatio">The largest share of the target's rows one load may delete or mark; above it the load refuses (SFPG4432).</param>
public sealed record DeleteMissingSettings(DeleteMissingMode Mode, string? SoftDeleteColumn, double MaxDeleteRatio)
{
    public const string DeleteMissingKey = "delete_missing";
    public const string SoftDeleteColumnKey = "soft_delete_column";
    public const string MaxDeleteRatioKey = "max_delete_ratio";

    /// <summary>The safe default: a load deletes at most a tenth of the target's rows.</summary>
    public const double DefaultMaxDeleteRatio = 0.1;

    public static DeleteMissingSettings Off { get; } = new(DeleteMissingMode.Off, null, DefaultMaxDeleteRatio);

    /// <summary>Reads and checks the settings: SFPG1065 without uniqueness_columns, SFPG1066 soft without its column, SFPG1067 for other values.</summary>
    internal static DeleteMissingSettings Read(ConfigDocumentReader reader, ConfigObject table, IReadOnlyList<string> uniquenessColumns, bool truncateOnStart)
    {
        var written = table.String(DeleteMissingKey)?.Trim();
        var column = table.String(SoftDeleteColumnKey)?.Trim();
        var ratio = table.Number(MaxDeleteRatioKey, 0, 1) ?? DefaultMaxDeleteRatio;
        var mode = written?.ToLowerInvariant() switch
        {
            null or "" or "off" => DeleteMissingMode.Off,
            "hard" => DeleteMissingMode.Hard,
            "soft" => DeleteMissingMode.Soft,
            _ => (DeleteMissingMode?)null,
        };
        if (mode is null)
        {
            reader.Error(ErrorCatalog.ConfigDeleteMissingInvalid, table.PathOf(DeleteMissingKey),
                $"'{written}' is not a delete_missing mode.", "Use \"hard\" (delete the rows) or \"soft\" (set soft_delete_column to the detection time).");
            return Off;
        }

        if (mode == DeleteMissingMode.Off)
        {
            if (!string.IsNullOrEmpty(column))
            {
                reader.Error(ErrorCatalog.ConfigDeleteMissingInvalid, table.PathOf(SoftDeleteColumnKey),
                    "soft_delete_column is set, but delete_missing is not \"soft\".", "Add \"delete_missing\": \"soft\", or remove soft_delete_column.");
            }

            return Off with { MaxDeleteRatio = ratio };
        }

        if (uniquenessColumns.Count == 0)
        {
            reader.Error(ErrorCatalog.ConfigDeleteMissingWithoutKey, table.PathOf(DeleteMissingKey),
                truncateOnStart
                    ? "delete_missing has nothing to do with truncate_onstart: the table is emptied and copied whole, so it never keeps rows the source deleted."
                    : "delete_missing compares the keys of both sides, but the table has no uniqueness_columns.");
            return Off;
        }

        if (mode == DeleteMissingMode.Hard && !string.IsNullOrEmpty(column))
        {
            reader.Error(ErrorCatalog.ConfigDeleteMissingInvalid, table.PathOf(SoftDeleteColumnKey),
                "soft_delete_column is set, but delete_missing is \"hard\", which deletes the rows.", "Use \"delete_missing\": \"soft\" to mark rows, or remove soft_delete_column.");
        }

        if (mode == DeleteMissingMode.Soft && string.IsNullOrEmpty(column))
        {
            reader.Error(ErrorCatalog.ConfigSoftDeleteColumnMissing, table.PathOf(SoftDeleteColumnKey),
                "delete_missing \"soft\" needs soft_delete_column, the target column set to the time a row was found gone.");
            return Off;
        }

        if (column is not null)
        {
            TableBinder.CheckPostgresNameLength(reader, column, table.PathOf(SoftDeleteColumnKey), "column");
        }

        return new DeleteMissingSettings(mode.Value, mode == DeleteMissingMode.Soft ? column : null, ratio);
    }
}
