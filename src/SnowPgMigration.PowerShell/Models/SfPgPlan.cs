using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>What a migration would do to one table (Start-SfPgMigration -DryRun or -WhatIf): strategy, load method and chunks.</summary>
public sealed class SfPgPlan
{
    private SfPgPlan()
    {
    }

    public string Source { get; private init; } = "";

    public string SourceTable { get; private init; } = "";

    /// <summary>The target table, schema-qualified.</summary>
    public string Table { get; private init; } = "";

    public string Strategy { get; private init; } = "";

    public string StrategyReason { get; private init; } = "";

    public string LoadMethod { get; private init; } = "";

    public string LoadMethodReason { get; private init; } = "";

    public int ChunkCount { get; private init; }

    public long ExpectedRows { get; private init; }

    public long MinChunkRows { get; private init; }

    public long MedianChunkRows { get; private init; }

    public long MaxChunkRows { get; private init; }

    public IReadOnlyList<SfPgPlannedChunk> Chunks { get; private init; } = [];

    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>The DDL the run would execute first to create or evolve the target table, as one script; empty when none.</summary>
    public string TargetDdl { get; private init; } = "";

    /// <summary>Why the table cannot be planned; empty when it can.</summary>
    public string? Error { get; private init; }

    internal static SfPgPlan From(TableDryRun plan) => new()
    {
        Source = plan.SourceName,
        SourceTable = plan.SourceTable,
        Table = plan.Table,
        Strategy = plan.Strategy,
        StrategyReason = plan.StrategyReason,
        LoadMethod = plan.LoadMethod,
        LoadMethodReason = plan.LoadMethodReason,
        ChunkCount = plan.Chunks.Count,
        ExpectedRows = plan.ExpectedRows,
        MinChunkRows = plan.MinChunkRows,
        MedianChunkRows = plan.MedianChunkRows,
        MaxChunkRows = plan.MaxChunkRows,
        Chunks = plan.Chunks.Select(c => new SfPgPlannedChunk(c.ChunkId, c.Predicate, c.ExpectedRows)).ToArray(),
        Warnings = plan.Warnings.ToArray(),
        TargetDdl = string.Concat(plan.TargetDdl.Select(s => s + ";\n")),
        Error = plan.Error,
    };
}
