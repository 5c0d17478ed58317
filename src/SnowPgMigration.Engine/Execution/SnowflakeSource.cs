using System.Runtime.CompilerServices;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>One Snowflake database and schema as the engine reads it: statements run in that context.</summary>
public sealed class SnowflakeSource(SnowflakeClient client, string database, string schema, string? warehouse, string? role)
    : ISourceQuery
{
    /// <summary>A config source's Snowflake database and schema, in the config's warehouse and role.</summary>
    public static SnowflakeSource Of(SnowflakeClient client, SnowflakeSettings settings, SourceConfig source) =>
        new(client, source.SourceSfDatabase, source.SourceSfSchema, settings.Warehouse, settings.Role);

    public async IAsyncEnumerable<object?[]> QueryAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var result = await client.ExecuteAsync(Statement(sql), cancellationToken).ConfigureAwait(false);
        await foreach (var row in result.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>The table's columns, from a zero-row query's metadata.</summary>
    public async Task<IReadOnlyList<SnowflakeColumn>> DescribeAsync(SnowflakeTableName table, CancellationToken cancellationToken)
    {
        var result = await client.ExecuteAsync(Statement(SnowflakeSql.Describe(table)), cancellationToken).ConfigureAwait(false);
        return result.Columns;
    }

    /// <summary>Sent as <c>QUERY_TAG</c> with every statement (see <see cref="SnowflakeSessionParameters.QueryTagFor"/>); null sends none.</summary>
    public string? QueryTag { get; init; }

    /// <summary>The same source with its statements tagged <paramref name="queryTag"/>.</summary>
    public SnowflakeSource WithQueryTag(string queryTag) =>
        new(client, database, schema, warehouse, role) { QueryTag = queryTag };

    private SnowflakeStatement Statement(string sql) =>
        new(sql)
        {
            Database = database, Schema = schema, Warehouse = warehouse, Role = role,
            Parameters = QueryTag is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [SnowflakeSessionParameters.QueryTag] = QueryTag },
        };
}
