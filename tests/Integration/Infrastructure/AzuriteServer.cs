using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Tests.Integration.Infrastructure;

/// <summary>
/// Azurite's Blob service (Microsoft's Azure Storage emulator, installed from npm into tools/azurite by
/// test.sh) on a free loopback port with its data in a temporary folder. Each test starts its own, so a
/// test may stop and restart it; <see cref="DisposeAsync"/> stops it and removes the folder.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The emulator's well-known development account and key (public, documented by Microsoft).</summary>
    public const string Account = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;
    private readonly string _location;
    private Process? _process;

    private AzuriteServer(string executable, string location, int port)
    {
        _executable = executable;
        _location = location;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Path-style endpoint of the account, the stage's <c>endpoint</c> override.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{Account}";

    public static async Task<AzuriteServer> StartAsync()
    {
        var location = Directory.CreateTempSubdirectory("sfpg-azurite-").FullName;
        var server = new AzuriteServer(FindExecutable(), location, FreeLoopbackPort());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>A SAS for the account, valid for an hour of wall time (Azurite checks expiry against its own clock).</summary>
    public static SasToken Sas() => AccountSasSigner.Create(Account, AccountKey, DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>A client for <paramref name="container"/>/<paramref name="prefix"/>, creating the container.</summary>
    public async Task<AzureBlobClient> ClientAsync(HttpClient http, string container, string prefix = "")
    {
        var stage = BlobStageLocation.Parse($"azure://{Account}.blob.core.windows.net/{container}/{prefix}", Endpoint);
        var client = new AzureBlobClient(http, stage, Sas());
        await client.CreateContainerAsync(CancellationToken.None);
        return client;
    }

    /// <summary>Stops the service as a service manager would (SIGTERM), so it saves its blob metadata first.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Stops the service and starts it again on the same port over the same data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _location, "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{_executable} did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening on port {Port}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {Port} within 30 s.");
    }

    private static string FindExecutable()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SnowPgMigration.sln")))
            {
                var executable = Path.Combine(directory.FullName, "tools", "azurite", "node_modules", ".bin", "azurite-blob");
                return File.Exists(executable)
                    ? executable
                    : throw new FileNotFoundException($"Azurite is not installed at {executable}; run: npm ci --prefix tools/azurite", executable);
            }
        }

        throw new DirectoryNotFoundException($"No SnowPgMigration.sln above {AppContext.BaseDirectory}.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
