using System.Runtime.InteropServices;

namespace SnowPgMigration.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM during a migration: cancel the engine's token and keep the process alive
/// until the engine has recorded the run cancelled and restored any index it dropped, for at most
/// <see cref="Grace"/>; then exit with the signal's code.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    /// <summary>How long a stopped run may take to record its end before the process exits anyway.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private const int SigInt = 2;
    private const nint DefaultDisposition = 0;

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private int _received;

    /// <param name="error">Where the "stopping" notice goes: the invocation's error writer.</param>
    public TerminationSignals(TextWriter error, CancellationToken cancellationToken)
    {
        _error = error;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that stopped the run, if any.</summary>
    public PosixSignal? Received => Volatile.Read(ref _received) switch
    {
        0 => null,
        var signal => (PosixSignal)signal,
    };

    /// <summary>The shell's convention for a process ended by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).</summary>
    public int ExitCode => Received == PosixSignal.SIGTERM ? 143 : 130;

    /// <summary>
    /// Waits for <paramref name="work"/>; once a signal has arrived, for at most <see cref="Grace"/>.
    /// False when the grace ran out first.
    /// </summary>
    public async Task<bool> WaitAsync(Task work)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_stop.Token.Register(() => stopped.TrySetResult()))
        {
            if (await Task.WhenAny(work, stopped.Task).ConfigureAwait(false) == work)
            {
                return true;
            }
        }

        return await Task.WhenAny(work, Task.Delay(Grace)).ConfigureAwait(false) == work;
    }

    /// <summary>
    /// A process started in the background of a script inherits SIGINT ignored, and the runtime then never
    /// delivers it; the default is put back so <c>kill -INT</c> stops a background sfpg cleanly too. Runs
    /// first thing in Main: the runtime decides whether to handle SIGINT when it first sets up the console.
    /// </summary>
    public static void RestoreInterruptIfIgnored()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            if (ignored is not null
                && ulong.TryParse(ignored["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask)
                && (mask & (1UL << (SigInt - 1))) != 0)
            {
                _ = NativeMethods.Signal(SigInt, DefaultDisposition);
            }
        }
        catch (IOException)
        {
            // No /proc: leave the disposition as inherited.
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) != 0)
        {
            return;
        }

        _error.WriteLine($"{context.Signal}: stopping; sfpg exits once the run is recorded cancelled and its indexes are restored (at most {Grace.TotalSeconds:0} s).");
        _stop.Cancel();
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "signal")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint Signal(int signal, nint handler);
    }
}
