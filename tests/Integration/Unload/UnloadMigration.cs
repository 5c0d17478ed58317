using SnowPgMigration.Engine.Unload;
using SnowPgMigration.LocalAzurite;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// The whole unload path as a user runs it: the emulated SQL API (its COPY INTO writes into Azurite), Azurite's
/// blob service, a target database, and config files whose root <c>stage</c> points at Azurite with the SAS
/// given through an env file, for the real <c>sfpg</c> process.
/// </summary>
public sealed class UnloadMigration : IAsyncDisposable
{
    public const string Container = "unload";
    public const string Prefix = "stage";
    private static readonly HttpClient Http = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("sfpg-unload-").FullName;

    private UnloadMigration(AzuriteServer azurite, MigrationEnvironment environment, AzureBlobClient blobs)
    {
        Azurite = azurite;
        Environment = environment;
        Blobs = blobs;
        EnvFile = Path.Combine(_folder, "stage.env");
        Sas = AzuriteServer.Sas().Value;
        File.WriteAllText(EnvFile, $"STAGE_SAS='{Sas}'\n");
    }

    public AzuriteServer Azurite { get; }
    public MigrationEnvironment Environment { get; }
    public AzureBlobClient Blobs { get; }

    /// <summary>The stage's SAS, a secret that must appear in no output or status row.</summary>
    public string Sas { get; }

    /// <summary>The env file holding the stage's SAS; pass it with <c>--env-file</c>.</summary>
    public string EnvFile { get; }

    public static async Task<UnloadMigration> StartAsync(MigrationEnvironment.Options? configure = null)
    {
        var azurite = await AzuriteServer.StartAsync();
        var environment = await MigrationEnvironment.StartAsync(o =>
        {
            var adjusted = configure?.Invoke(o) ?? o;
            return adjusted with { AzureBlobEndpoint = $"http://127.0.0.1:{azurite.Port}" };
        });
        return new UnloadMigration(azurite, environment, await azurite.ClientAsync(Http, Container, Prefix));
    }

    /// <summary>A config file whose tables are extracted by unload through the Azurite stage.</summary>
    public string ConfigFile(string tables, int parallelThreads = 1, int batchSize = 1000)
    {
        var json = Environment.ConfigJson(tables, parallelThreads, batchSize).Replace(
            "\"parallel_threads\"",
            $$"""
            "extract": "unload",
              "stage": { "url": "{{AzuriteServer.StageUrl(Container, Prefix)}}", "endpoint": "{{Azurite.Endpoint}}",
                         "sas_token": "${STAGE_SAS}", "max_file_size": {{StageMinFileSize}} },
              "parallel_threads"
            """,
            StringComparison.Ordinal);
        var path = Path.Combine(_folder, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>The blobs under the stage prefix, i.e. every file any run unloaded and has not deleted.</summary>
    public async Task<IReadOnlyList<BlobItem>> BlobsAsync() => await Blobs.ListAsync(Prefix + "/", CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Environment.DisposeAsync();
        await Azurite.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private const int StageMinFileSize = 1024 * 1024;
}
