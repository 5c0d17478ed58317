using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>What Remove-SfPgRun deleted (or, with -WhatIf, would delete), and which runs it kept to restore their indexes.</summary>
public sealed class SfPgRunRemoval
{
    private SfPgRunRemoval()
    {
    }

    public int RunsRemoved { get; private init; }

    public int TablesRemoved { get; private init; }

    public int ChunksRemoved { get; private init; }

    public int IndexBackupsRemoved { get; private init; }

    public IReadOnlyList<Guid> RemovedRunIds { get; private init; } = [];

    /// <summary>Runs old enough but kept: they hold index definitions that were dropped and not yet restored.</summary>
    public IReadOnlyList<Guid> KeptForIndexRestore { get; private init; } = [];

    /// <summary>Runs matched but kept: they are running and their owner still sends heartbeats.</summary>
    public IReadOnlyList<Guid> KeptLive { get; private init; } = [];

    /// <summary>True when nothing was deleted (-WhatIf).</summary>
    public bool WhatIf { get; private init; }

    public SfPgConnection? Connection { get; private init; }

    internal static SfPgRunRemoval From(RunRemovalResult result, SfPgConnection? connection) => new()
    {
        RunsRemoved = result.RunsRemoved,
        TablesRemoved = result.TablesRemoved,
        ChunksRemoved = result.ChunksRemoved,
        IndexBackupsRemoved = result.IndexBackupsRemoved,
        RemovedRunIds = result.RemovedRunIds.ToArray(),
        KeptForIndexRestore = result.KeptForIndexRestore.ToArray(),
        KeptLive = result.KeptLive.ToArray(),
        WhatIf = result.DryRun,
        Connection = connection,
    };
}
