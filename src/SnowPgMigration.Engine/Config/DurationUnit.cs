namespace SnowPgMigration.Engine.Config;

/// <summary>The unit of a bare number where a duration is expected: what the option or key meant before units could be written.</summary>
public enum DurationUnit
{
    Seconds,
    Minutes,
    Hours,
    Days,
}
