namespace SnowPgMigration.Engine.Status;

/// <summary>One run of the older Python tool, read (never changed) from its status tables.</summary>
public sealed record LegacyRunRecord
{
    /// <summary>The older tool's run id; <see cref="Guid.Empty"/> when its text is not a UUID (see <see cref="RunIdText"/>).</summary>
    public required Guid RunId { get; init; }

    public required string RunIdText { get; init; }

    /// <summary>The <c>source_name</c>s its table rows name, comma-separated; empty when they name none.</summary>
    public string Sources { get; init; } = "";

    /// <summary>The older tool's status text, as it wrote it.</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public int TablesTotal { get; init; }

    public int TablesCompleted { get; init; }

    public int TablesFailed { get; init; }

    public long RowsCopied { get; init; }

    public string? Error { get; init; }

    /// <summary>The relation it was read from, e.g. <c>migration_status.legacy_migration_runs</c>.</summary>
    public required string ReadFrom { get; init; }
}
