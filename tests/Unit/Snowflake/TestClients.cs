using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

internal static class TestClients
{
    public const string OAuthToken = "oauth-access-token-for-tests";

    /// <summary>Settings pointing at a local server over http, authenticating with an OAuth token.</summary>
    public static SnowflakeSettings SettingsFor(ReplayServer server) => new()
    {
        Account = "myorg-myaccount",
        User = "loader",
        Role = "LOADER_ROLE",
        Warehouse = "LOAD_WH",
        Token = OAuthToken,
        Authenticator = "OAUTH",
        Host = server.BaseAddress.Host,
        Port = server.BaseAddress.Port,
        Scheme = "http",
    };

    /// <summary>Short delays so retry and polling tests take milliseconds.</summary>
    public static SnowflakeClientOptions FastOptions => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromSeconds(5),
        PollInitialDelay = TimeSpan.FromMilliseconds(5),
        PollMaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        MaxRetryAttempts = 3,
    };

    public static SnowflakeClient For(ReplayServer server, SnowflakeClientOptions? options = null, SnowflakeSettings? settings = null) =>
        SnowflakeClient.Create(settings ?? SettingsFor(server), options ?? FastOptions);

    public static async Task<List<object?[]>> ReadAllAsync(this SnowflakeResult result, CancellationToken cancellationToken = default)
    {
        var rows = new List<object?[]>();
        await foreach (var row in result.ReadRowsAsync(cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
