namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// The one file format the unload path asks Snowflake for and loads: gzip CSV with an explicit format for
/// every type, so each value is written exactly and read back exactly by PostgreSQL. Numbers are plain
/// digits; strings and VARIANT (JSON) are enclosed in double quotes; NULL is an unenclosed <c>\N</c>, so an
/// empty string stays an empty string; times carry nine fraction digits and timestamps their offset; binary is
/// hex (decoded on load).
/// </summary>
public static class UnloadFileFormat
{
    /// <summary>Snowflake's default file size limit (16 MB) also suits parallel loading: many files per chunk.</summary>
    public const long DefaultMaxFileSize = 16 * 1024 * 1024;

    /// <summary>The <c>FILE_FORMAT=(…)</c> options of the <c>COPY INTO</c>.</summary>
    public const string SnowflakeOptions =
        "TYPE=CSV COMPRESSION=GZIP FIELD_DELIMITER=',' RECORD_DELIMITER='\\n' FIELD_OPTIONALLY_ENCLOSED_BY='\"' "
        + "NULL_IF=('\\\\N') EMPTY_FIELD_AS_NULL=FALSE DATE_FORMAT='YYYY-MM-DD' TIME_FORMAT='HH24:MI:SS.FF9' "
        + "TIMESTAMP_NTZ_FORMAT='YYYY-MM-DD HH24:MI:SS.FF9' TIMESTAMP_LTZ_FORMAT='YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM' "
        + "TIMESTAMP_TZ_FORMAT='YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM' BINARY_FORMAT=HEX";

    /// <summary>The options of PostgreSQL's <c>COPY … FROM STDIN</c> that read those files.</summary>
    public const string PostgresCopyOptions = "(FORMAT csv, DELIMITER ',', QUOTE '\"', NULL '\\N')";
}
