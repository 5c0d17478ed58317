using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>
/// The status database an object was read from. Every status object carries one, so the next cmdlet
/// in a pipeline reaches the same database without repeating -ConfigPath or -ConnectionString. The
/// password stays inside: it is neither a property nor part of the text.
/// </summary>
public sealed class SfPgConnection
{
    internal SfPgConnection(StatusTarget target) => Target = target;

    public string Host => Target.Host;

    public int Port => Target.Port;

    public string Database => Target.Database;

    public string? UserName => Target.UserName;

    /// <summary>The config source it was resolved from; empty for a connection string.</summary>
    public string? Source => Target.SourceName;

    internal StatusTarget Target { get; }

    /// <summary><c>user@host:port/database</c>.</summary>
    public override string ToString() => Target.Description;
}
