using System.Net;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Whether a host name stays on this machine, where clear-text http cannot be overheard on a network.</summary>
public static class LoopbackHost
{
    public static bool Is(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        var name = host.Trim().TrimStart('[').TrimEnd(']');
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address);
    }
}
