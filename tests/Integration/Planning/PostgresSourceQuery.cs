using System.Runtime.CompilerServices;
using Npgsql;
using SnowPgMigration.Engine.Planning;

namespace SnowPgMigration.Tests.Integration.Planning;

/// <summary>
/// Runs planning SQL straight on PostgreSQL (the emulator's storage), so planner properties can
/// be checked against real data without HTTP in between.
/// </summary>
internal sealed class PostgresSourceQuery(string connectionString) : ISourceQuery
{
    public List<string> Statements { get; } = [];

    /// <summary>SQL run on the table just before the second statement: the source changing while it is planned.</summary>
    public string? BeforeSecondStatement { get; init; }

    public async IAsyncEnumerable<object?[]> QueryAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Statements.Add(sql);
        if (Statements.Count == 2 && BeforeSecondStatement is not null)
        {
            await PlanChecks.ExecuteAsync(connectionString, BeforeSecondStatement);
        }

        await using var connection = await OpenAsync(connectionString, cancellationToken);
        // As the emulator runs it: Snowflake's TIMESTAMP_NTZ/TIMESTAMP_TZ literals become PostgreSQL types.
        await using var command = new NpgsqlCommand(SnowPgMigration.Emulator.Statements.SqlText.RewriteForPostgres(sql, hasBindings: false), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            yield return row;
        }
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
