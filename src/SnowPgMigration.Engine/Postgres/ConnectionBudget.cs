using System.Globalization;
using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// How many more connections the target server accepts for this tool: <c>max_connections</c> less the
/// superuser reserve and the connections already open. Workers and the pool are sized from it, so a
/// high thread count meets back-pressure instead of "too many clients" (53300).
/// </summary>
public sealed record ConnectionBudget(int MaxConnections, int Reserved, int InUse)
{
    /// <summary>Connections a table's workers need each: the chunk's transaction and its heartbeat.</summary>
    public const int PerWorker = 2;

    /// <summary>Connections kept for the run itself: its heartbeat, planning, verification and status writes.</summary>
    public const int ForTheRun = 4;

    public int Available => Math.Max(0, MaxConnections - Reserved - InUse);

    /// <summary>The workers to run when <paramref name="requested"/> were asked for; at least one.</summary>
    public int WorkersFor(int requested) => Math.Clamp((Available - ForTheRun) / PerWorker, 1, Math.Max(1, requested));

    /// <summary>The pool size that never asks the server for more than it has left.</summary>
    public int PoolSize(int ceiling) => Math.Clamp(Available, ForTheRun + PerWorker, Math.Max(ForTheRun + PerWorker, ceiling));

    public static async Task<ConnectionBudget> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Unpooled: this look must not leave a connection of its own behind.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            // The run's first contact with the target: a failure here surfaces at once (hosts name postgres.host and port).
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            using var command = new NpgsqlCommand(
                "SELECT current_setting('max_connections'), current_setting('superuser_reserved_connections'), (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')",
                connection);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new ConnectionBudget(
                int.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                int.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                (int)reader.GetInt64(2));
        }
    }
}
