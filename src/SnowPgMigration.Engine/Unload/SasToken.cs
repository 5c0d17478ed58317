namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// A shared access signature for the stage's container. It is a secret (invariant 7): only
/// <see cref="AzureBlobClient"/> puts it on a request URL and <see cref="ToString"/> never shows it.
/// </summary>
public sealed class SasToken
{
    public SasToken(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        // Portals copy it with the leading '?'; the query string gets exactly one.
        Value = value.TrimStart('?');
    }

    /// <summary>The token's query text, without a leading '?'.</summary>
    internal string Value { get; }

    public override string ToString() => "***";
}
