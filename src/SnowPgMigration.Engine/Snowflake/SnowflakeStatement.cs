namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// One SQL API request: the SQL text and the context it runs in. Database, schema, warehouse
/// and role are case-sensitive names as Snowflake stores them; null means the client's
/// settings (warehouse, role) or the user's defaults.
/// </summary>
public sealed record SnowflakeStatement(string Sql)
{
    public string? Database { get; init; }

    public string? Schema { get; init; }

    /// <summary>Overrides <c>snowflake.warehouse</c> for this statement.</summary>
    public string? Warehouse { get; init; }

    /// <summary>Overrides <c>snowflake.role</c> for this statement.</summary>
    public string? Role { get; init; }

    /// <summary>Seconds before Snowflake cancels the statement; null for <c>snowflake.statement_timeout_seconds</c>, then the server default.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Values for the <c>?</c> placeholders, in order.</summary>
    public IReadOnlyList<SnowflakeBinding> Bindings { get; init; } = [];

    /// <summary>
    /// Session parameters for this request (e.g. <c>QUERY_TAG</c>, <c>MULTI_STATEMENT_COUNT</c>).
    /// <c>*_OUTPUT_FORMAT</c> parameters are refused: they change the wire encodings the decoder reads.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}
