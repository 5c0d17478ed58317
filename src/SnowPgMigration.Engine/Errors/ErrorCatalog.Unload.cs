namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode StageUrlInvalid = new(
        "SFPG5000", ErrorKind.InvalidArgument,
        "The unload stage URL is not an Azure Blob Storage location",
        "Set \"stage\": { \"url\": \"azure://<account>.blob.core.windows.net/<container>/<prefix>\" } in the config file.");

    public static readonly ErrorCode StageCredentialMissing = new(
        "SFPG5001", ErrorKind.InvalidArgument,
        "The unload stage has no credential",
        "Give the stage a \"sas_token\" (from an environment variable, \"${VAR}\") or a Snowflake \"storage_integration\" name.");

    public static readonly ErrorCode StageSettingInvalid = new(
        "SFPG5002", ErrorKind.InvalidArgument,
        "An unload stage setting is not valid",
        "Correct the setting the message names; see the README's unload section for the accepted values.");

    public static readonly ErrorCode StageMissing = new(
        "SFPG5003", ErrorKind.InvalidArgument,
        "A table is extracted by unload but the config has no stage",
        "Add a root \"stage\" object with the Azure Blob Storage URL and its SAS token, or set \"extract\": \"sql_api\" on the table.");

    public static readonly ErrorCode BlobRequestFailed = new(
        "SFPG5010", ErrorKind.Connection,
        "An Azure Blob Storage request failed",
        "Check that the storage account is reachable and that the SAS token is valid, unexpired and grants read, list, write and delete.");

    public static readonly ErrorCode BlobAccessDenied = new(
        "SFPG5011", ErrorKind.Authentication,
        "Azure Blob Storage refused the SAS token",
        "Issue a new SAS token for the stage's container with read, list, write and delete permissions and a later expiry.")
    {
        Transient = false,
    };

    public static readonly ErrorCode BlobRequestRejected = new(
        "SFPG5012", ErrorKind.InvalidOperation,
        "Azure Blob Storage rejected a request",
        "Check the stage URL's container and prefix (the message names the blob and the storage error code).");

    public static readonly ErrorCode UnloadedFileInvalid = new(
        "SFPG5020", ErrorKind.InvalidData,
        "An unloaded file does not match what Snowflake reported",
        "Run the table again: its chunk's files are unloaded anew. If it persists, keep the files with --keep-files and report the file the message names.")
    {
        Transient = false,
    };

    public static readonly ErrorCode UnloadFileClaimLost = new(
        "SFPG5021", ErrorKind.InvalidOperation,
        "An unloaded file's claim was taken over before its rows committed",
        "Nothing to do: the file's rows were rolled back with its status and another worker loads it. If this happens often, raise the stale-claim threshold above the longest file's load time.");

    public static readonly ErrorCode UnloadRowsDiffer = new(
        "SFPG5022", ErrorKind.InvalidData,
        "A chunk's loaded rows do not add up to the rows Snowflake unloaded",
        "Reset the chunk (Reset-SfPgChunk) so it is unloaded and loaded again; the message names the chunk and both counts.")
    {
        Transient = false,
    };
}
