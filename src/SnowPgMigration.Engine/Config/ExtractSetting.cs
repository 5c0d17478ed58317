using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The <c>extract</c> key (root, source or table; the nearest wins): <c>sql_api</c> (default) or <c>unload</c>,
/// which needs the root's <c>stage</c>.
/// </summary>
internal static class ExtractSetting
{
    public const string Key = "extract";

    private static readonly string[] Names = ["sql_api", "unload"];

    /// <summary>The block's own setting, or <paramref name="inherited"/> when it has none (or an invalid one, reported).</summary>
    public static ExtractMethod Read(ConfigDocumentReader reader, ConfigObject block, ExtractMethod inherited)
    {
        var text = block.String(Key)?.Trim();
        switch (text?.ToLowerInvariant())
        {
            case null:
                return inherited;
            case "sql_api":
                return ExtractMethod.SqlApi;
            case "unload":
                return ExtractMethod.Unload;
        }

        var suggestion = NameSuggestion.Closest(text, Names);
        reader.Error(
            ErrorCatalog.ConfigInvalidValue,
            block.PathOf(Key),
            $"'{text}' is not a valid {Key}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
            "Use sql_api (stream rows through the SQL API) or unload (COPY INTO the config's Azure Blob stage, then load the files).");
        return inherited;
    }
}
