using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The config's <c>stage</c>: the Azure Blob Storage location tables with <c>"extract": "unload"</c> go through,
/// and how Snowflake and this process reach it.
/// </summary>
public sealed record StageSettings
{
    public const int MinMaxFileSize = 1024 * 1024;

    /// <summary>Parsed <c>url</c> (with the <c>endpoint</c> override, when given).</summary>
    public required BlobStageLocation Location { get; init; }

    /// <summary><c>sas_token</c>: a secret; it never enters the config hash, logs or status rows.</summary>
    public SasToken? SasToken { get; init; }

    /// <summary><c>storage_integration</c>: Snowflake writes through it instead of the SAS.</summary>
    public string? StorageIntegration { get; init; }

    /// <summary><c>max_file_size</c> in bytes, Snowflake's MAX_FILE_SIZE (default 16 MB).</summary>
    public long MaxFileSize { get; init; } = UnloadFileFormat.DefaultMaxFileSize;

    /// <summary>How Snowflake's COPY INTO is authorised: the storage integration when named, else the SAS.</summary>
    public UnloadCredential SnowflakeCredential =>
        StorageIntegration is not null ? UnloadCredential.FromIntegration(StorageIntegration) : UnloadCredential.FromSas(SasToken!);
}
