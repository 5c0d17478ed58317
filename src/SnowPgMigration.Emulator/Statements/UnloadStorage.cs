namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// Where <c>COPY INTO 'azure://…'</c> writes its files: an Azure Storage emulator's blob endpoint, from
/// <see cref="EmulatorOptions.AzureBlobEndpoint"/> or set while the emulator runs (<c>POST /_emulator/storage</c>),
/// so a harness that starts the storage emulator beside an <c>emulator serve</c> process can point it there.
/// </summary>
internal sealed class UnloadStorage(string? azureBlobEndpoint)
{
    private volatile string? _azureBlobEndpoint = azureBlobEndpoint;

    /// <summary>Null: unloads are refused.</summary>
    public string? AzureBlobEndpoint
    {
        get => _azureBlobEndpoint;
        set => _azureBlobEndpoint = value;
    }
}
