namespace SnowPgMigration.Engine.Status;

/// <summary>One saved index or constraint definition in <c>migration_index_backup</c>.</summary>
public sealed record IndexBackupRecord
{
    public required Guid RunId { get; init; }

    public required string TargetSchema { get; init; }

    public required string Table { get; init; }

    public required IndexObjectKind Kind { get; init; }

    /// <summary>The index or constraint name.</summary>
    public required string Name { get; init; }

    /// <summary>The DDL that recreates it (<c>pg_get_indexdef</c> / <c>ALTER TABLE ... ADD CONSTRAINT ...</c>).</summary>
    public required string Definition { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    public DateTimeOffset? DroppedAt { get; init; }

    public DateTimeOffset? RestoredAt { get; init; }

    /// <summary>Why the last attempt to recreate it failed; null once restored.</summary>
    public string? RestoreError { get; init; }
}
