using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// The real <c>sfpg</c> CLI, or <c>sfpg-sandbox</c> (the emulator server and the sandbox), as a child process
/// (built with the test project, same configuration), so tests can kill it with SIGKILL at any instant and run
/// several at once.
/// </summary>
public sealed class SfpgProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private readonly string _name;

    private SfpgProcess(Process process, string name)
    {
        Process = process;
        _name = name;
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
    public static string DllPath { get; } = FindDll("SnowPgMigration.Cli", "sfpg.dll");

    /// <summary>The built <c>sfpg-sandbox.dll</c> beside this test assembly's configuration.</summary>
    public static string SandboxDllPath { get; } = FindDll("SnowPgMigration.Sandbox", "sfpg-sandbox.dll");

    public static SfpgProcess Start(params string[] arguments) => Start(DllPath, arguments, null);

    /// <summary>Starts <c>sfpg-sandbox</c>, e.g. <c>emulator serve</c> or <c>sandbox</c>.</summary>
    public static SfpgProcess StartSandbox(params string[] arguments) => Start(SandboxDllPath, arguments, null);

    private static SfpgProcess Start(string dll, string[] arguments, Action<ProcessStartInfo>? adjust)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        adjust?.Invoke(start);
        var name = Path.GetFileNameWithoutExtension(dll);
        return new SfpgProcess(Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start."), name);
    }

    /// <summary>
    /// As a script's background job starts it (<c>sfpg ... &amp;</c> without job control): with SIGINT ignored,
    /// which the process inherits.
    /// </summary>
    public static SfpgProcess StartWithInterruptIgnored(params string[] arguments) =>
        Start(DllPath, arguments, start =>
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
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] arguments) =>
        RunToEndAsync(Start(arguments), timeout);

    /// <summary>Runs sfpg-sandbox to its end; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunSandboxAsync(TimeSpan timeout, params string[] arguments) =>
        RunToEndAsync(StartSandbox(arguments), timeout);

    private static async Task<(int ExitCode, string Output, string Error)> RunToEndAsync(SfpgProcess started, TimeSpan timeout)
    {
        using var process = started;
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
            throw new TimeoutException($"{_name} did not finish within {timeout}. Output:\n{Output}\nErrors:\n{Error}");
        }

        // The asynchronous readers may still be draining; the parameterless wait waits for them.
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>Sends a signal by name (INT, TERM) as <c>kill -s</c> does; the process handles it as it would from a shell.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {Id} exited with code {kill.ExitCode}.");
        }
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

    private static string FindDll(string project, string dllName)
    {
        var configuration = typeof(SfpgProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = RepositoryFiles.Path("src", project, "bin", configuration, "net8.0", dllName);
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dllName} is not built at {dll}; build src/{project} -c {configuration}.", dll);
    }
}
