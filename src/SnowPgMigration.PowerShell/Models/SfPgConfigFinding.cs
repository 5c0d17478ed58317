using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>One problem Test-SfPgConfig found in a config file: where, what, and how to fix it.</summary>
public sealed class SfPgConfigFinding
{
    private SfPgConfigFinding()
    {
    }

    /// <summary>Error or Warning; errors stop a run.</summary>
    public string Severity { get; private init; } = "";

    /// <summary>The catalogue code, e.g. <c>SFPG1003</c>.</summary>
    public string Code { get; private init; } = "";

    /// <summary>JSON path of the setting at fault, e.g. <c>sources[0].tables[3].uniqueness_columns</c>.</summary>
    public string Path { get; private init; } = "";

    public string Message { get; private init; } = "";

    public string Hint { get; private init; } = "";

    public string? File { get; private init; }

    public int? Line { get; private init; }

    public int? Column { get; private init; }

    internal static SfPgConfigFinding From(ConfigFinding finding) => new()
    {
        Severity = finding.Severity.ToString(),
        Code = finding.Code,
        Path = finding.Path,
        Message = finding.Message,
        Hint = finding.Hint,
        File = finding.File,
        Line = finding.Line,
        Column = finding.Column,
    };

    public override string ToString() => $"{Severity} {Code} {Path}: {Message}";
}
