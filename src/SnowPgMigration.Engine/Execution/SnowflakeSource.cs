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

    /// <summary>Runs <paramref name="sql"/>; its rows are read from the result (the loader reads them decoded, see <see cref="SnowflakeResult.ReadDecodedRowsAsync"/>).</summary>
    internal Task<SnowflakeResult> ExecuteAsync(string sql, CancellationToken cancellationToken) =>
        client.ExecuteAsync(Statement(sql), cancellationToken);

    /// <summary>
    /// The table's columns, from a zero-row query's metadata; a VECTOR's element type and dimension, which that metadata
    /// lacks, from <c>DESCRIBE TABLE</c> (asked only when the table has one).
    /// </summary>
    public async Task<IReadOnlyList<SnowflakeColumn>> DescribeAsync(SnowflakeTableName table, CancellationToken cancellationToken)
    {
        var result = await client.ExecuteAsync(Statement(SnowflakeSql.Describe(table)), cancellationToken).ConfigureAwait(false);
        if (!result.Columns.Any(c => c.Type == SnowflakeDataType.Vector))
        {
            return result.Columns;
        }

        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(SnowflakeSql.DescribeTable(table), cancellationToken).ConfigureAwait(false))
        {
            if (row is [string name, string type, ..])
            {
                declared[name] = type;
            }
        }

        return result.Columns
            .Select(c => c.Type == SnowflakeDataType.Vector && declared.TryGetValue(c.Name, out var type) ? VectorType.Describe(c, type) : c)
            .ToList();
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
