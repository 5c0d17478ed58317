using Npgsql;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// Holds a SHARE lock on a target table: a worker that reaches a write into it (the COPY of a chunk, the INSERT of
/// a file's staged rows) waits there, inside its transaction, until <see cref="ReleaseAsync"/>; so a test can kill
/// or count workers at that instant on any machine, however fast the load.
/// </summary>
public sealed class TargetLock : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _transaction;

    private TargetLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<TargetLock> TakeAsync(string connectionString, string table)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"LOCK TABLE public.\"{table}\" IN SHARE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new TargetLock(connection, transaction);
    }

    public async Task ReleaseAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _connection.Dispose();
    }
}
