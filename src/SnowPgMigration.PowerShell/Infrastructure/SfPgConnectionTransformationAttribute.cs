using System.Data.Common;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// Lets <c>-Connection</c> bind what a job or a remote session hands back: the object deserialized into
/// a property bag (Host, Port, Database, UserName, Source) or, nested one level deeper than the
/// serialization depth, its text <c>user@host:port/database</c>. The password never travels; the
/// server's other means apply (PGPASSWORD, a pgpass file).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class SfPgConnectionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            SfPgConnection connection => connection,
            string text => FromText(text) ?? inputData,
            _ when inputData is PSObject bag => FromProperties(bag) ?? inputData,
            _ => inputData,
        };
    }

    internal static SfPgConnection? FromText(string text)
    {
        var match = DescriptionPattern().Match(text.Trim());
        return match.Success
            ? Create(
                match.Groups["host"].Value,
                int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture),
                match.Groups["database"].Value,
                match.Groups["user"].Success ? match.Groups["user"].Value : null,
                sourceName: null)
            : null;
    }

    internal static SfPgConnection? FromProperties(PSObject bag)
    {
        string? Text(string name) => bag.Properties[name]?.Value?.ToString();
        var host = Text("Host");
        var database = Text("Database");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(database))
        {
            return null;
        }

        var port = int.TryParse(Text("Port"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 5432;
        return Create(host, port, database, Text("UserName") is { Length: > 0 } user ? user : null, Text("Source") is { Length: > 0 } source ? source : null);
    }

    private static SfPgConnection Create(string host, int port, string database, string? userName, string? sourceName)
    {
        // Built with the framework's builder: naming Npgsql's here would load it outside the private load context.
        var builder = new DbConnectionStringBuilder { ["Host"] = host, ["Port"] = port, ["Database"] = database };
        if (userName is not null)
        {
            builder["Username"] = userName;
        }

        return new SfPgConnection(StatusConnection.FromConnectionString(builder.ConnectionString) with { SourceName = sourceName });
    }

    [GeneratedRegex(@"^(?:(?<user>[^@]+)@)?(?<host>[^:/@]+):(?<port>\d{1,5})/(?<database>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionPattern();
}
