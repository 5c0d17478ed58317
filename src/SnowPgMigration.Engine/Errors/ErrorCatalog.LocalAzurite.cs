namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode AzuriteMissing = new(
        "SFPG5050", ErrorKind.ResourceUnavailable,
        "Azurite, the Azure Storage emulator, was not found",
        "Install it into the repository with 'npm ci --prefix tools/azurite' (needs Node.js and npm), or put azurite-blob on PATH.")
    {
        Transient = false,
    };

    public static readonly ErrorCode AzuriteStartFailed = new(
        "SFPG5051", ErrorKind.ResourceUnavailable,
        "Azurite, the Azure Storage emulator, could not be started",
        "Read Azurite's output in the message; check that Node.js runs ('node --version') and that the temporary folder is writable.")
    {
        Transient = false,
    };
}
