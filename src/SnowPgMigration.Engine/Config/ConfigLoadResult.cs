using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// What loading a config gave: every finding, and - only when no finding is an error - the effective
/// config and its hash.
/// </summary>
public sealed record ConfigLoadResult
{
    /// <summary>The effective config; null when any finding is an error.</summary>
    public MigrationConfig? Config { get; init; }

    /// <summary>Every problem found, errors and warnings, in the order of the file.</summary>
    public IReadOnlyList<ConfigFinding> Findings { get; init; } = [];

    /// <summary>SHA-256 (hex) of the effective config's copy-relevant settings; null when there is no config.</summary>
    public string? ConfigHash { get; init; }

    /// <summary>The config file, as given; null for in-memory text.</summary>
    public string? File { get; init; }

    public bool IsValid => Config is not null;

    public IEnumerable<ConfigFinding> Errors => Findings.Where(f => f.IsError);

    public IEnumerable<ConfigFinding> Warnings => Findings.Where(f => !f.IsError);

    /// <summary>
    /// The config, or an <see cref="SfPgException"/> naming the first errors: for callers that can only go on
    /// with a valid config (a run).
    /// </summary>
    public MigrationConfig GetConfigOrThrow()
    {
        if (Config is not null)
        {
            return Config;
        }

        var errors = Errors.ToList();
        var first = errors[0];
        const int shown = 5;
        var lines = string.Join(Environment.NewLine, errors.Take(shown).Select(e => "  " + e));
        var more = errors.Count > shown ? $"{Environment.NewLine}  ... and {errors.Count - shown} more" : "";
        throw new SfPgException(
            first.Error,
            $"Config {File ?? "(in memory)"} has {errors.Count} error(s):{Environment.NewLine}{lines}{more}",
            target: first.Path,
            recommendedAction: "Run 'sfpg validate --config <file>' or Test-SfPgConfig for the full list, fix each, and retry.");
    }
}
