namespace SnowPgMigration.Engine.Config;

/// <summary>How serious a config finding is: errors stop a run, warnings do not.</summary>
public enum ConfigFindingSeverity
{
    Warning,
    Error,
}
