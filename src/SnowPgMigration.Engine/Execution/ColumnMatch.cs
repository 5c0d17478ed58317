namespace SnowPgMigration.Engine.Execution;

/// <summary>How a table's source columns line up with its target columns.</summary>
/// <param name="Pairs">Each copied column: source name and index in the source row, and the target column name.</param>
/// <param name="SkippedSourceColumns">Source columns with no target column; they are not copied.</param>
/// <param name="UnfilledTargetColumns">Target columns no source column fills; they keep their defaults.</param>
public sealed record ColumnMatch(
    IReadOnlyList<(string Source, int SourceIndex, string Target)> Pairs,
    IReadOnlyList<string> SkippedSourceColumns,
    IReadOnlyList<string> UnfilledTargetColumns);
