using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Settings of the transaction that loads one chunk, applied with SET LOCAL so they end with it.
/// </summary>
/// <remarks>
/// <c>synchronous_commit = off</c> is safe here because a chunk's rows and its <c>completed</c> status commit in the same
/// transaction: a server crash can only lose both together, and the chunk is then loaded again by resume.
/// <c>jit = off</c> spares each short INSERT ... SELECT of an upsert the compile time JIT would spend on it.
/// </remarks>
public static class LoadSessionSettings
{
    private const string Sql = "SET LOCAL synchronous_commit = off; SET LOCAL jit = off";

    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = new NpgsqlCommand(Sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
