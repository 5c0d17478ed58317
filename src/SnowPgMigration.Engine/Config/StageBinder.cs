using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Engine.Config;

/// <summary>Reads and checks the root's <c>stage</c> object.</summary>
internal static class StageBinder
{
    public const string Key = "stage";

    public static readonly IReadOnlyCollection<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "url", "sas_token", "storage_integration", "endpoint", "max_file_size",
    };

    public static StageSettings? Read(ConfigDocumentReader reader, ConfigObject root)
    {
        var block = root.Object(Key, Keys, required: false);
        if (block is null)
        {
            return null;
        }

        var url = block.String("url", required: true);
        var sas = block.String("sas_token", secret: true);
        var integration = block.String("storage_integration");
        var endpoint = block.String("endpoint");
        var maxFileSize = block.Int("max_file_size", StageSettings.MinMaxFileSize, int.MaxValue);
        if (string.IsNullOrWhiteSpace(sas))
        {
            // This process reads, lists and deletes the files with the SAS even when Snowflake writes through an integration.
            reader.Error(ErrorCatalog.StageCredentialMissing, block.PathOf("sas_token"),
                $"'{Key}' has no sas_token{(integration is null ? "" : " (storage_integration authorises Snowflake only; this process needs the SAS to read and delete the files)")}.",
                ErrorCatalog.StageCredentialMissing.RecommendedAction);
        }

        if (url is null)
        {
            return null;
        }

        BlobStageLocation location;
        try
        {
            location = BlobStageLocation.Parse(url.Trim(), NullIfBlank(endpoint), block.PathOf("url"));
        }
        catch (SfPgException ex)
        {
            reader.Error(ex.Error, ex.Target ?? block.PathOf("url"), ex.Message, ex.RecommendedAction);
            return null;
        }

        if (location.ServiceEndpoint.Scheme == "http" && !LoopbackHost.Is(location.ServiceEndpoint.Host))
        {
            reader.Error(ErrorCatalog.StageSettingInvalid, block.PathOf("endpoint"),
                $"'http' would send the stage's SAS token in clear text to {location.ServiceEndpoint.Host}, which is not this machine.",
                "Use an https endpoint; plain http is only for a storage emulator on this machine.");
        }

        return string.IsNullOrWhiteSpace(sas)
            ? null
            : new StageSettings
            {
                Location = location,
                SasToken = new SasToken(sas),
                StorageIntegration = NullIfBlank(integration),
                MaxFileSize = maxFileSize ?? UnloadFileFormat.DefaultMaxFileSize,
            };
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
