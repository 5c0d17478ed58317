namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode UnloadNeedsCopyLoad = new(
        "SFPG5030", ErrorKind.InvalidArgument,
        "A table extracted by unload is not a full COPY load",
        "Unloaded files are appended to an empty or truncated table: give the table truncate_onstart (or an empty target) without incremental settings, or set \"extract\": \"sql_api\" on it.")
    {
        Transient = false,
    };

    public static readonly ErrorCode UnloadChunkReplaceUnsupported = new(
        "SFPG5031", ErrorKind.InvalidOperation,
        "A reset chunk of a table extracted by unload cannot replace its rows",
        "Repair the table's differing ranges with sfpg repair (Repair-SfPgTable), which reads them through the SQL API, or load it again in a new run (--no-resume).")
    {
        Transient = false,
    };
}
