using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.LocalAzurite;

/// <summary>
/// Azurite's Blob service (Microsoft's Azure Storage emulator, installed from npm into tools/azurite by
/// test.sh) on a free loopback port with its data in a temporary folder: the stage of the sandbox's unload
/// option, of the unload tests and of the benchmark. Each user starts its own, so a test may stop and restart
/// it; <see cref="DisposeAsync"/> stops it and removes the folder.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The emulator's well-known development account and key (public, documented by Microsoft).</summary>
    public const string Account = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;
    private readonly string _location;
    private readonly ConcurrentQueue<string> _lastOutput = new();
    private Process? _process;

    private AzuriteServer(string executable, string location, int port)
    {
        _executable = executable;
        _location = location;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The running service's process id (its CPU is read from /proc by the benchmark); null while stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>Path-style endpoint of the account, the stage's <c>endpoint</c> override.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{Account}";

    /// <summary>Starts the service; throws <see cref="ErrorCatalog.AzuriteMissing"/> when it is not installed.</summary>
    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable();
        var location = Directory.CreateTempSubdirectory("sfpg-azurite-").FullName;
        var server = new AzuriteServer(executable, location, FreeLoopbackPort());
        try
        {
            await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A SAS for the account, valid for an hour of wall time (Azurite checks expiry against its own clock).</summary>
    public static SasToken Sas() => Sas(TimeSpan.FromHours(1));

    /// <summary>A SAS for the account, valid for <paramref name="validFor"/> of wall time.</summary>
    public static SasToken Sas(TimeSpan validFor) => new(SasText(validFor));

    /// <summary>The text of a SAS for the account, valid for <paramref name="validFor"/>, for a config file's <c>sas_token</c>.</summary>
    public static string SasText(TimeSpan validFor) => AccountSasSigner.CreateText(Account, AccountKey, DateTimeOffset.UtcNow.Add(validFor));

    /// <summary>The stage URL of <paramref name="container"/>/<paramref name="prefix"/> in the emulator's account.</summary>
    public static string StageUrl(string container, string prefix = "") => $"azure://{Account}.blob.core.windows.net/{container}/{prefix}";

    /// <summary>A client for <paramref name="container"/>/<paramref name="prefix"/>, creating the container; <paramref name="sas"/> defaults to an hour's.</summary>
    public async Task<AzureBlobClient> ClientAsync(HttpClient http, string container, string prefix = "", SasToken? sas = null)
    {
        var stage = BlobStageLocation.Parse(StageUrl(container, prefix), Endpoint);
        var client = new AzureBlobClient(http, stage, sas ?? Sas());
        await client.CreateContainerAsync(CancellationToken.None).ConfigureAwait(false);
        return client;
    }

    /// <summary>Stops the service as a service manager would (SIGTERM), so it saves its blob metadata first.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Stops the service and starts it again on the same port over the same data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartProcessAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture), "--location", _location, "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry" })
        {
            start.ArgumentList.Add(argument);
        }

        _lastOutput.Clear();
        _process = Process.Start(start) ?? throw new SfPgException(ErrorCatalog.AzuriteStartFailed, $"{_executable} did not start.");
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new SfPgException(ErrorCatalog.AzuriteStartFailed,
                    $"Azurite exited with code {_process.ExitCode} before listening on port {Port}:\n{string.Join('\n', _lastOutput)}".Trim());
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new SfPgException(ErrorCatalog.AzuriteStartFailed, $"Azurite did not listen on port {Port} within 30 s:\n{string.Join('\n', _lastOutput)}".Trim());
    }

    /// <summary>Keeps Azurite's last lines of output for the message of a failed start.</summary>
    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lastOutput.Enqueue(line);
        while (_lastOutput.Count > 20 && _lastOutput.TryDequeue(out _))
        {
        }
    }

    /// <summary>The repository's own install (tools/azurite, above this program or the current folder), else azurite-blob on PATH.</summary>
    private static string FindExecutable()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var executable = Path.Combine(directory.FullName, "tools", "azurite", "node_modules", ".bin", "azurite-blob");
                if (File.Exists(executable))
                {
                    return executable;
                }
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "azurite-blob"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new SfPgException(ErrorCatalog.AzuriteMissing,
            $"No tools/azurite/node_modules/.bin/azurite-blob above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}, and no azurite-blob on PATH.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
