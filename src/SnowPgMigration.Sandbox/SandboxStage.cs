using System.Globalization;
using Npgsql;
using SnowPgMigration.Engine.Unload;
using SnowPgMigration.LocalAzurite;

namespace SnowPgMigration.Sandbox;

/// <summary>
/// The Azure Blob stage of <c>sfpg-sandbox sandbox --unload</c>: Azurite on a free loopback port with one container,
/// the config's <c>stage</c> block pointing at it, and what the run left there.
/// </summary>
internal sealed class SandboxStage : IAsyncDisposable
{
    private const string Container = "sandbox";
    private const string Prefix = "stage";

    // A day, so that a sandbox left running with --keep can still be explored with sfpg.
    private static readonly TimeSpan SasValidity = TimeSpan.FromDays(1);
    private static readonly HttpClient Http = new();

    private readonly AzuriteServer _azurite;
    private readonly AzureBlobClient _blobs;
    private readonly string _sas;

    private SandboxStage(AzuriteServer azurite, AzureBlobClient blobs, string sas)
    {
        _azurite = azurite;
        _blobs = blobs;
        _sas = sas;
    }

    public static async Task<SandboxStage> StartAsync(CancellationToken cancellationToken)
    {
        var azurite = await AzuriteServer.StartAsync(cancellationToken);
        try
        {
            var sas = AzuriteServer.SasText(SasValidity);
            return new SandboxStage(azurite, await azurite.ClientAsync(Http, Container, Prefix, new SasToken(sas)), sas);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public static string Url => AzuriteServer.StageUrl(Container, Prefix);

    /// <summary>Where the emulated SQL API's COPY INTO writes (the account is in each blob's path).</summary>
    public string EmulatorEndpoint => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_azurite.Port}");

    /// <summary>The account's endpoint in Azurite, the stage's <c>endpoint</c>.</summary>
    public string Endpoint => _azurite.Endpoint;

    /// <summary>The config's root <c>stage</c> block, with its SAS written in as the sandbox writes its emulator token.</summary>
    public string ConfigJson() => $$"""
        "stage": { "url": "{{Url}}", "endpoint": "{{Endpoint}}", "sas_token": "{{_sas}}", "max_file_size": 1048576 },
        """;

    /// <summary>
    /// One line on the stage after the runs: the files run <paramref name="runId"/> unloaded (from the status schema) and
    /// the blobs still under the stage prefix (listed in Azurite).
    /// </summary>
    public async Task<string> ReportAsync(string targetConnectionString, Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(targetConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*), coalesce(sum(row_count), 0), count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE deleted_at IS NOT NULL)
            FROM migration_status.migration_unload_files WHERE run_id = $1
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (files, rows, loaded, deleted) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        var left = await _blobs.ListAsync(Prefix + "/", cancellationToken);
        return string.Format(CultureInfo.InvariantCulture,
            "Stage {0} (Azurite): {1:N0} files unloaded ({2:N0} rows), {3:N0} loaded, {4:N0} deleted after verification; {5:N0} files left in the stage.",
            Url, files, rows, loaded, deleted, left.Count);
    }

    public ValueTask DisposeAsync() => _azurite.DisposeAsync();
}
