namespace SnowPgMigration.Engine.Status;

/// <summary>How many tables or chunks are in each state.</summary>
public sealed record StatusCounts(int Pending, int InProgress, int Completed, int Failed, int Incomplete)
{
    public static StatusCounts Empty { get; } = new(0, 0, 0, 0, 0);

    public int Total => Pending + InProgress + Completed + Failed + Incomplete;

    public int this[ProgressStatus status] => status switch
    {
        ProgressStatus.Pending => Pending,
        ProgressStatus.InProgress => InProgress,
        ProgressStatus.Completed => Completed,
        ProgressStatus.Failed => Failed,
        ProgressStatus.Incomplete => Incomplete,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    internal static StatusCounts From(IEnumerable<(ProgressStatus Status, int Count)> counts)
    {
        var byStatus = counts.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        int Get(ProgressStatus s) => byStatus.TryGetValue(s, out var n) ? n : 0;
        return new StatusCounts(
            Get(ProgressStatus.Pending), Get(ProgressStatus.InProgress), Get(ProgressStatus.Completed),
            Get(ProgressStatus.Failed), Get(ProgressStatus.Incomplete));
    }
}
