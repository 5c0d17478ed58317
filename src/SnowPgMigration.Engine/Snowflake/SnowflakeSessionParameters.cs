namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Session parameters every statement carries, so that what a statement means does not depend on
/// the account's or user's settings: each SQL API request is its own session with the account's
/// defaults. TIMEZONE fixes how a wall-clock literal compares with TIMESTAMP_LTZ/TZ values (a
/// watermark pre-filter must select the same rows in every account); TIMESTAMP_TYPE_MAPPING fixes
/// what a bare TIMESTAMP is, although the engine's literals name TIMESTAMP_NTZ or TIMESTAMP_TZ anyway;
/// the input formats fix how literal text is read. A statement's own parameters take precedence.
/// </summary>
public static class SnowflakeSessionParameters
{
    public const string TimeZone = "TIMEZONE";
    public const string TimestampTypeMapping = "TIMESTAMP_TYPE_MAPPING";
    public const string QueryTag = "QUERY_TAG";

    public static IReadOnlyDictionary<string, string> Pinned { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [TimeZone] = "UTC",
        [TimestampTypeMapping] = "TIMESTAMP_NTZ",
        ["TIMESTAMP_INPUT_FORMAT"] = "AUTO",
        ["DATE_INPUT_FORMAT"] = "AUTO",
        ["TIME_INPUT_FORMAT"] = "AUTO",
    };

    /// <summary>The pinned parameters overlaid with <paramref name="statementParameters"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(IReadOnlyDictionary<string, string> statementParameters)
    {
        ArgumentNullException.ThrowIfNull(statementParameters);
        var merged = new Dictionary<string, string>(Pinned, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in statementParameters)
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>The <c>QUERY_TAG</c> of a run's statements, so they can be found in Snowflake's query history.</summary>
    public static string QueryTagFor(Guid runId, string? table = null) =>
        table is null ? $"sfpg run {runId:D}" : $"sfpg run {runId:D} {table}";
}
