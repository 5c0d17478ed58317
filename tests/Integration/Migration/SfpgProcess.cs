using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// The real <c>sfpg</c> CLI as a child process (built with the test project, same configuration), so
/// tests can kill it with SIGKILL at any instant and run several at once.
/// </summary>
public sealed class SfpgProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private SfpgProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public string Output => Read(_output);

    public string Error => Read(_error);

    /// <summary>The built <c>sfpg.dll</c> beside this test assembly's configuration.</summary>
    public static string DllPath { get; } = FindDll();

    public static SfpgProcess Start(params string[] arguments) => Start(arguments, null);

    private static SfpgProcess Start(string[] arguments, Action<ProcessStartInfo>? adjust)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        adjust?.Invoke(start);
        return new SfpgProcess(Process.Start(start) ?? throw new InvalidOperationException("sfpg did not start."));
    }

    /// <summary>
    /// As a script's background job starts it (<c>sfpg ... &amp;</c> without job control): with SIGINT ignored,
    /// which the process inherits.
    /// </summary>
    public static SfpgProcess StartWithInterruptIgnored(params string[] arguments) =>
        Start(arguments, start =>
        {
            var command = start.FileName;
            var rest = start.ArgumentList.ToList();
            start.FileName = "/bin/sh";
            start.ArgumentList.Clear();
            foreach (var argument in (string[])["-c", "trap '' INT; exec \"$0\" \"$@\"", command, .. rest])
            {
                start.ArgumentList.Add(argument);
            }
        });

    /// <summary>Runs sfpg to its end; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(arguments);
        var exitCode = await process.WaitAsync(timeout);
        return (exitCode, process.Output, process.Error);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            KillNow();
            throw new TimeoutException($"sfpg did not finish within {timeout}. Output:\n{Output}\nErrors:\n{Error}");
        }

        // The asynchronous readers may still be draining; the parameterless wait waits for them.
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>SIGKILL: no finally block, no cleanup, the process is simply gone.</summary>
    public void KillNow()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: false);
        }

        Process.WaitForExit();
    }

    public void Dispose()
    {
        KillNow();
        Process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static string FindDll()
    {
        var configuration = typeof(SfpgProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SnowPgMigration.sln")))
            {
                var dll = Path.Combine(directory.FullName, "src", "SnowPgMigration.Cli", "bin", configuration, "net8.0", "sfpg.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"sfpg.dll is not built at {dll}; build src/SnowPgMigration.Cli -c {configuration}.", dll);
            }
        }

        throw new DirectoryNotFoundException($"No SnowPgMigration.sln above {AppContext.BaseDirectory}.");
    }
}
