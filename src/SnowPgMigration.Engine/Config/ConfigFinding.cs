using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// One problem found in a config: where (<see cref="Path"/>, e.g. <c>sources[0].tables[3].uniqueness_columns</c>),
/// what (<see cref="Message"/>) and what to do (<see cref="Hint"/>). Never carries a secret value.
/// </summary>
public sealed record ConfigFinding
{
    public required ConfigFindingSeverity Severity { get; init; }

    /// <summary>The catalogue entry; <see cref="Code"/> is its stable identifier.</summary>
    public required ErrorCode Error { get; init; }

    /// <summary>JSON path of the setting at fault; <c>$</c> for the document as a whole.</summary>
    public required string Path { get; init; }

    public required string Message { get; init; }

    public required string Hint { get; init; }

    /// <summary>The file the finding is about (the config file, or the .env file); null for in-memory text.</summary>
    public string? File { get; init; }

    /// <summary>1-based line, where known (JSON syntax errors, .env lines).</summary>
    public int? Line { get; init; }

    /// <summary>1-based column, where known (JSON syntax errors).</summary>
    public int? Column { get; init; }

    /// <summary>The catalogue code, e.g. <c>SFPG1003</c>.</summary>
    public string Code => Error.Code;

    public bool IsError => Severity == ConfigFindingSeverity.Error;

    /// <summary>One line: <c>error SFPG1003 sources[0].tables[2].uniqueness_columns: message (hint)</c>.</summary>
    public override string ToString() =>
        $"{(IsError ? "error" : "warning")} {Code} {Path}: {Message} ({Hint})";
}
