using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.LocalPostgres;

/// <summary>
/// A throwaway PostgreSQL cluster in a temporary directory on a free loopback port: the
/// sandbox's warehouse and target, and the test suite's server. Durability is switched off
/// because the data is disposable.
/// </summary>
/// <remarks>
/// initdb refuses to run as root, so as root the server runs as the <c>postgres</c> user
/// through <c>runuser</c>.
/// </remarks>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string ServiceUser = "postgres";

    private readonly string _binDir;
    private string _options;
    private readonly string _dataDir;
    private readonly bool _runAsServiceUser;
    private int _stopped;

    private LocalPostgresCluster(string rootDir, string binDir, int port, bool runAsServiceUser)
    {
        RootDirectory = rootDir;
        _binDir = binDir;
        _dataDir = Path.Combine(rootDir, "data");
        _options = "";
        Port = port;
        _runAsServiceUser = runAsServiceUser;
    }

    /// <summary>The temporary directory that holds the cluster; removed on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server log, for diagnosing a failed start.</summary>
    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>A superuser connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = ServiceUser,
            Database = database,
            Pooling = true,
            MaxPoolSize = 100,
        }.ConnectionString;

    /// <summary>Initialises and starts a new cluster.</summary>
    /// <param name="maxConnections">The server's max_connections: 300 for one run; more for a server many test processes share.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LocalPostgresCluster> StartAsync(int maxConnections = 300, CancellationToken cancellationToken = default)
    {
        var binDir = FindServerBinaries() ?? throw new SfPgException(
            ErrorCatalog.PostgresServerBinariesMissing,
            "No PostgreSQL server binaries (initdb, pg_ctl) were found in PG_BIN, /usr/lib/postgresql/*/bin, 'pg_config --bindir' or PATH.");

        var runAsServiceUser = IsRoot();
        var root = Path.Combine(Path.GetTempPath(), "sfpg-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var cluster = new LocalPostgresCluster(root, binDir, FreeLoopbackPort(), runAsServiceUser);
        try
        {
            if (runAsServiceUser)
            {
                await RunAsync("chown", ["-R", ServiceUser + ":", root], asServiceUser: false, cancellationToken).ConfigureAwait(false);
            }

            await cluster.RunToolAsync(
                "initdb",
                ["-D", cluster._dataDir, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                cancellationToken).ConfigureAwait(false);

            var options = string.Join(' ',
                "-p", cluster.Port.ToString(CultureInfo.InvariantCulture),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "max_connections=" + maxConnections.ToString(CultureInfo.InvariantCulture),
                "-c", "shared_buffers=256MB");
            cluster._options = options;
            await cluster.RunToolAsync(
                "pg_ctl",
                ["start", "-D", cluster._dataDir, "-l", cluster.LogFile, "-w", "-t", "60", "-o", options],
                cancellationToken).ConfigureAwait(false);
            cluster.StartReaper();
            return cluster;
        }
        catch (Exception ex) when (ex is not SfPgException)
        {
            var log = File.Exists(cluster.LogFile) ? await File.ReadAllTextAsync(cluster.LogFile, cancellationToken).ConfigureAwait(false) : "";
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw new SfPgException(ErrorCatalog.PostgresClusterStartFailed, $"{ex.Message}\n{log}".Trim(), ex);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString());
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new NpgsqlCommand($"CREATE DATABASE {PgIdentifier.Quote(name)}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    /// <summary>
    /// Restarts the server with <c>pg_ctl restart -m <paramref name="mode"/></c> (<c>fast</c> or <c>immediate</c>),
    /// terminating every connection: how a failover or a maintenance restart looks to a client.
    /// </summary>
    public Task RestartAsync(string mode, CancellationToken cancellationToken = default) =>
        RunToolAsync("pg_ctl", ["restart", "-D", _dataDir, "-m", mode, "-w", "-t", "60", "-l", LogFile], cancellationToken);

    /// <summary>Stops the server with <c>pg_ctl stop -m fast</c>, keeping its data for <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        RunToolAsync("pg_ctl", ["stop", "-D", _dataDir, "-m", "fast", "-w", "-t", "60"], cancellationToken);

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again, with the options it was started with.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        RunToolAsync("pg_ctl", ["start", "-D", _dataDir, "-l", LogFile, "-w", "-t", "60", "-o", _options], cancellationToken);

    /// <summary>Stops the server at once and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
        {
            try
            {
                await RunToolAsync("pg_ctl", ["stop", "-D", _dataDir, "-m", "immediate", "-w"], CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the directory still has to go.
            }
        }

        // The server's last files can still be closing just after pg_ctl returns.
        for (var attempt = 1; attempt <= 5 && Directory.Exists(RootDirectory); attempt++)
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Left for the OS to clean with the rest of the temporary directory.
            }
        }
    }

    /// <summary>
    /// A detached watcher that stops the server and removes its directory once this process is
    /// gone, however it ended (a test host torn down, a sandbox killed with SIGKILL).
    /// </summary>
    private void StartReaper()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var pgCtl = Path.Combine(_binDir, "pg_ctl");
        var stop = _runAsServiceUser ? $"runuser -u {ServiceUser} -- '{pgCtl}'" : $"'{pgCtl}'";
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"[ -f '{_dataDir}/postmaster.pid' ] && {stop} stop -D '{_dataDir}' -m immediate -w >/dev/null 2>&1; " +
            $"rm -rf '{RootDirectory}'";
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "/bin/sh", "-c", script })
        {
            start.ArgumentList.Add(a);
        }

        using var reaper = Process.Start(start);
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_binDir, tool), args, _runAsServiceUser, cancellationToken);

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asServiceUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asServiceUser ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asServiceUser)
        {
            foreach (var a in new[] { "-u", ServiceUser, "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        // pg_ctl hands the server's output to its log file, so the pipes close with the tool.
        var output = await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} exited with code {process.ExitCode}: {(output[1] + output[0]).Trim()}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() =>
        !OperatingSystem.IsWindows() && geteuid() == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    /// <summary>Finds the folder that holds initdb and pg_ctl; newest version first.</summary>
    internal static string? FindServerBinaries()
    {
        static bool HasServer(string? dir) =>
            !string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        var fromEnv = Environment.GetEnvironmentVariable("PG_BIN");
        if (HasServer(fromEnv))
        {
            return fromEnv;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => HasServer(d.Dir))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var pgConfigBin = TryPgConfigBinDir();
        if (HasServer(pgConfigBin))
        {
            return pgConfigBin;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasServer);
    }

    private static string? TryPgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
