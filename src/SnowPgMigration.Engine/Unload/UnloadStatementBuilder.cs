using System.Globalization;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// Builds Snowflake's <c>COPY INTO &lt;location&gt;</c> for one chunk. The statement carries the SAS (or names
/// a storage integration), so it is sent to Snowflake and never logged or stored.
/// </summary>
public static class UnloadStatementBuilder
{
    public static string Build(BlobStageLocation chunkFolder, string selectSql, UnloadCredential credential, long maxFileSize) =>
        $"COPY INTO '{chunkFolder.SnowflakeUrl.TrimEnd('/')}/' FROM ({selectSql}) {credential.Clause} "
        + $"FILE_FORMAT=({UnloadFileFormat.SnowflakeOptions}) MAX_FILE_SIZE={maxFileSize.ToString(CultureInfo.InvariantCulture)} "
        + "HEADER=FALSE OVERWRITE=TRUE DETAILED_OUTPUT=TRUE";
}
