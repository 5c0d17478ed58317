namespace SnowPgMigration.HelpBuilder;

/// <summary>A help page that does not follow the platyPS format, with the file and line at fault.</summary>
public sealed class HelpFormatException(string file, int line, string problem)
    : Exception($"{file}:{line}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Problem { get; } = problem;
}
