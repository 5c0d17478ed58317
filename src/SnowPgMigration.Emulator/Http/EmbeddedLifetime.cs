using Microsoft.Extensions.Hosting;

namespace SnowPgMigration.Emulator.Http;

/// <summary>A host lifetime that leaves process signals to the process embedding the emulator.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
