using System.Diagnostics.CodeAnalysis;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The one mapping between the status enums and the strings stored in the status schema (and
/// typed by users: <c>-Status completed_with_errors</c>). The schema's CHECK constraints hold the same lists.
/// </summary>
public static class StatusText
{
    private static readonly (RunStatus Value, string Text)[] RunStatuses =
    [
        (RunStatus.Running, "running"),
        (RunStatus.Completed, "completed"),
        (RunStatus.CompletedWithErrors, "completed_with_errors"),
        (RunStatus.Partial, "partial"),
        (RunStatus.Failed, "failed"),
        (RunStatus.Cancelled, "cancelled"),
    ];

    private static readonly (ProgressStatus Value, string Text)[] ProgressStatuses =
    [
        (ProgressStatus.Pending, "pending"),
        (ProgressStatus.InProgress, "in_progress"),
        (ProgressStatus.Completed, "completed"),
        (ProgressStatus.Failed, "failed"),
        (ProgressStatus.Incomplete, "incomplete"),
    ];

    private static readonly (IndexObjectKind Value, string Text)[] IndexObjectKinds =
    [
        (IndexObjectKind.Index, "index"),
        (IndexObjectKind.PrimaryKey, "primary_key"),
        (IndexObjectKind.Unique, "unique"),
        (IndexObjectKind.ForeignKey, "foreign_key"),
        (IndexObjectKind.Check, "check"),
        (IndexObjectKind.Exclusion, "exclusion"),
    ];

    /// <summary>Every run status as stored, in enum order.</summary>
    public static IReadOnlyList<string> RunStatusNames { get; } = RunStatuses.Select(s => s.Text).ToArray();

    /// <summary>Every table/chunk status as stored, in enum order.</summary>
    public static IReadOnlyList<string> ProgressStatusNames { get; } = ProgressStatuses.Select(s => s.Text).ToArray();

    public static string ToText(RunStatus status) => Lookup(RunStatuses, status);

    public static string ToText(ProgressStatus status) => Lookup(ProgressStatuses, status);

    public static string ToText(IndexObjectKind kind) => Lookup(IndexObjectKinds, kind);

    /// <summary>Parses a stored or typed run status; case-insensitive, <c>-</c> accepted for <c>_</c>, enum names too.</summary>
    public static bool TryParseRunStatus(string? text, out RunStatus status) => TryParse(RunStatuses, text, out status);

    /// <summary>Parses a stored or typed table/chunk status; case-insensitive, <c>-</c> accepted for <c>_</c>, enum names too.</summary>
    public static bool TryParseProgressStatus(string? text, out ProgressStatus status) => TryParse(ProgressStatuses, text, out status);

    public static bool TryParseIndexObjectKind(string? text, out IndexObjectKind kind) => TryParse(IndexObjectKinds, text, out kind);

    public static RunStatus ParseRunStatus(string text) =>
        TryParseRunStatus(text, out var status)
            ? status
            : throw new ArgumentException($"'{text}' is not a run status; expected one of: {string.Join(", ", RunStatusNames)}.", nameof(text));

    public static ProgressStatus ParseProgressStatus(string text) =>
        TryParseProgressStatus(text, out var status)
            ? status
            : throw new ArgumentException($"'{text}' is not a table or chunk status; expected one of: {string.Join(", ", ProgressStatusNames)}.", nameof(text));

    public static IndexObjectKind ParseIndexObjectKind(string text) =>
        TryParseIndexObjectKind(text, out var kind)
            ? kind
            : throw new ArgumentException($"'{text}' is not an index backup kind; expected one of: {string.Join(", ", IndexObjectKinds.Select(k => k.Text))}.", nameof(text));

    private static string Lookup<T>((T Value, string Text)[] map, T value)
        where T : struct, Enum
    {
        foreach (var (candidate, text) in map)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return text;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"No stored text for {typeof(T).Name}.{value}.");
    }

    private static bool TryParse<T>((T Value, string Text)[] map, string? text, [MaybeNullWhen(false)] out T value)
        where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var normalised = text.Trim().Replace('-', '_');
        foreach (var (candidate, stored) in map)
        {
            if (string.Equals(stored, normalised, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(candidate.ToString(), normalised, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }
}
