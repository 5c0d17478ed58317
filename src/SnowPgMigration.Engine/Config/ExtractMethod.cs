namespace SnowPgMigration.Engine.Config;

/// <summary>How a table's rows leave Snowflake (<c>extract</c>).</summary>
public enum ExtractMethod
{
    /// <summary>Each chunk's SELECT streamed through the SQL API as JSON partitions (<c>sql_api</c>, the default).</summary>
    SqlApi,

    /// <summary>Each chunk unloaded by <c>COPY INTO</c> into the config's Azure Blob stage as gzip CSV files (<c>unload</c>).</summary>
    Unload,
}
