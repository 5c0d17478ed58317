namespace SnowPgMigration.Engine.Status;

/// <summary>How <see cref="StatusAdministration.StopRunAsync"/> ends a run.</summary>
public enum RunStopMode
{
    /// <summary>Mark it <c>cancelled</c>: it stays resumable.</summary>
    Cancel,

    /// <summary>Mark it <c>completed</c>, allowed only when every chunk is completed (seed 003's force-complete).</summary>
    ForceComplete,
}
