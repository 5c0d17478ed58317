namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// How Snowflake writes to the stage: with the SAS this process uses too, or through a storage integration
/// the account administrator created (then the SAS is only this process's, for reading and deleting).
/// </summary>
public sealed class UnloadCredential
{
    private UnloadCredential(string clause) => Clause = clause;

    /// <summary>The <c>CREDENTIALS=(…)</c> or <c>STORAGE_INTEGRATION=…</c> clause; holds the secret, never log it.</summary>
    internal string Clause { get; }

    public static UnloadCredential FromSas(SasToken sas) => new($"CREDENTIALS=(AZURE_SAS_TOKEN='{sas.Value.Replace("'", "''", StringComparison.Ordinal)}')");

    public static UnloadCredential FromIntegration(string integration) =>
        new($"STORAGE_INTEGRATION={Snowflake.SnowflakeIdentifier.Quote(integration)}");

    public override string ToString() => "***";
}
