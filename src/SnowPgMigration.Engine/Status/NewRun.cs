namespace SnowPgMigration.Engine.Status;

/// <summary>What a new run is recorded with. Host and process default to the current process.</summary>
public sealed record NewRun
{
    public required string SourceName { get; init; }

    public required string ConfigHash { get; init; }

    /// <summary>The id to use; a new one when null.</summary>
    public Guid? RunId { get; init; }

    public string? HostName { get; init; } = Environment.MachineName;

    public int? ProcessId { get; init; } = Environment.ProcessId;

    /// <summary>Free text about the workers, e.g. <c>8 workers</c>.</summary>
    public string? WorkerInfo { get; init; }

    public string? ToolVersion { get; init; } = typeof(NewRun).Assembly.GetName().Version?.ToString();

    /// <summary>The owning process's token; only its holder refreshes the heartbeat or finishes the run.</summary>
    public Guid? OwnerToken { get; init; }

    /// <summary>The canonical, secret-free config (JSON) the run starts with, to name differences on resume.</summary>
    public string? ConfigCanonical { get; init; }
}
