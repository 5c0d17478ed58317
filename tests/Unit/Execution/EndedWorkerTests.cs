using System.Diagnostics;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class EndedWorkerTests
{
    [Fact]
    public async Task Only_a_worker_of_an_ended_process_on_this_host_counts_as_ended()
    {
        using var ended = Process.Start("true")!;
        await ended.WaitForExitAsync();
        var host = Environment.MachineName;

        RunLiveness.IsWorkerOfEndedLocalProcess($"{host}:{ended.Id}:orders-1").Should().BeTrue();
        RunLiveness.IsWorkerOfEndedLocalProcess($"{host}:{Environment.ProcessId}:orders-1").Should().BeFalse("this process is alive");
        RunLiveness.IsWorkerOfEndedLocalProcess($"other-{host}:{ended.Id}:orders-1").Should().BeFalse("another host's processes cannot be seen");
        RunLiveness.IsWorkerOfEndedLocalProcess($"{host}:not-a-pid:orders-1").Should().BeFalse();
        RunLiveness.IsWorkerOfEndedLocalProcess("free-form worker").Should().BeFalse();
    }
}
