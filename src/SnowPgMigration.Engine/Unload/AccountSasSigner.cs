using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// Issues an account SAS for the Blob service (HMAC-SHA256 over the account key, as the Blob REST
/// documentation's "Create an account SAS" specifies for version 2020-12-06 and later). The sandbox and the
/// tests use it with an emulator's well-known account; production tokens come from the user.
/// </summary>
public static class AccountSasSigner
{
    public const string Version = "2021-08-06";

    /// <summary>Read, write, delete, list, add and create on the Blob service's containers and blobs.</summary>
    public static SasToken Create(string account, string base64Key, DateTimeOffset expiresAt) => new(CreateText(account, base64Key, expiresAt));

    /// <summary>
    /// The same token as query text, for a config file the caller writes (the sandbox's stage); whoever holds the
    /// account key can make it anyway.
    /// </summary>
    public static string CreateText(string account, string base64Key, DateTimeOffset expiresAt)
    {
        const string permissions = "rwdlac";
        const string services = "b";
        const string resourceTypes = "sco";
        var expiry = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var stringToSign = string.Join('\n', account, permissions, services, resourceTypes, "", expiry, "", "", Version, "", "");
        using var hmac = new HMACSHA256(Convert.FromBase64String(base64Key));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        return $"sv={Version}&ss={services}&srt={resourceTypes}&sp={permissions}&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(signature)}";
    }
}
