namespace SnowPgMigration.Engine.Config;

/// <summary>The keys each object of config.json accepts; anything else is reported as unknown.</summary>
internal static class ConfigKeys
{
    public const string EnvFile = "env_file";
    public const string DeadlineBufferSeconds = "deadline_buffer_seconds";
    public const string LambdaTimeoutBufferSeconds = "lambda_timeout_buffer_seconds";
    public const string AllowLossyConversion = "allow_lossy_conversion";
    public const string InsertOnlyMode = "insert_only_mode";
    public const string BatchSizeCopyMode = "batch_size_copy_mode";
    public const string StatusTrackingDatabase = "status_tracking_database";
    public const string CreateTarget = "create_target";
    public const string ColumnTypes = "column_types";
    public const string TruncateNanoseconds = "truncate_nanoseconds";
    public const string SchemaEvolution = "schema_evolution";
    public const string KeepTimezoneOffset = "keep_tz_offset";

    public static readonly IReadOnlyCollection<string> Root = new HashSet<string>(StringComparer.Ordinal)
    {
        "$schema", EnvFile, "snowflake", "postgres", "parallel_threads", "batch_size", "max_retry_attempts",
        DeadlineBufferSeconds, LambdaTimeoutBufferSeconds, "sources", InsertOnlyMode, BatchSizeCopyMode,
        StatusTrackingDatabase, VerifySetting.Key, CreateTarget, SchemaEvolution, ExtractSetting.Key, StageBinder.Key,
    };

    public static readonly IReadOnlyCollection<string> Snowflake = new HashSet<string>(StringComparer.Ordinal)
    {
        "account", "user", "role", "warehouse", "rsa_key", "rsa_key_passphrase", "token", "authenticator",
        "host", "port", "scheme", "statement_timeout_seconds", "allow_insecure_http",
    };

    public static readonly IReadOnlyCollection<string> Postgres = new HashSet<string>(StringComparer.Ordinal)
    {
        "host", "port", "user", "password", "database", "sslmode",
    };

    public static readonly IReadOnlyCollection<string> Source = new HashSet<string>(StringComparer.Ordinal)
    {
        "source_name", "source_sf_database", "source_sf_schema", "target_pg_database", "target_pg_schema",
        "enabled", "tables", VerifySetting.Key, CreateTarget, SchemaEvolution, ExtractSetting.Key,
    };

    public static readonly IReadOnlyCollection<string> Table = new HashSet<string>(StringComparer.Ordinal)
    {
        "enabled", "source", "target", "source_filter", "chunking_columns", "chunking_column_types",
        "uniqueness_columns", "sort_columns", "source_watermark", "target_watermark", "column_mapping",
        "truncate_onstart", "insert_only_mode", "disable_index", "parallel_threads", "batch_size", "chunking_strategy",
        AllowLossyConversion, BatchSizeCopyMode, TableReferenceBinder.Key, VerifySetting.Key, CreateTarget, ColumnTypes, TruncateNanoseconds, SchemaEvolution, KeepTimezoneOffset, DeleteMissingSettings.DeleteMissingKey, DeleteMissingSettings.SoftDeleteColumnKey, DeleteMissingSettings.MaxDeleteRatioKey,
        ExtractSetting.Key,
    };
}
