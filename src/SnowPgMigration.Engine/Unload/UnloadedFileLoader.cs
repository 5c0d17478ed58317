using System.IO.Compression;
using System.Text;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// Applies one claimed unloaded file to the target table: the blob is streamed (ranged GETs, gunzip) into
/// <c>COPY … FROM STDIN</c> of a transaction-local text staging table, inserted into the target with each
/// column's exact cast, checked against the rows Snowflake reported for the file, and marked completed in the
/// same transaction (invariant 2 for files). A claim taken over elsewhere rolls the attempt back.
/// </summary>
/// <remarks>
/// Staging as text first makes every conversion PostgreSQL's own input function for the target type (hex
/// decoded for bytea), so what the file says is what the table holds, or the file fails loudly.
/// </remarks>
public sealed class UnloadedFileLoader(
    NpgsqlDataSource target,
    UnloadFileStore files,
    AzureBlobClient blobs,
    string targetSchema,
    string targetTable,
    IReadOnlyList<string> columns,
    TimeSpan heartbeatInterval,
    TimeProvider clock)
{
    private const string Staging = "pg_temp.sfpg_unload_stage";
    private const int CharBuffer = 64 * 1024;

    /// <summary>Loads the file; returns its rows. Throws <see cref="ErrorCatalog.UnloadFileClaimLost"/> when the claim was lost.</summary>
    public async Task<long> LoadAsync(UnloadFileClaim claim, CancellationToken cancellationToken)
    {
        using var claimLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = ClaimHeartbeat.KeepAsync(token => files.HeartbeatAsync(claim, token), heartbeatInterval, clock, claimLost);
        try
        {
            var connection = await target.OpenConnectionAsync(claimLost.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(claimLost.Token).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await LoadSessionSettings.ApplyAsync(connection, transaction, claimLost.Token).ConfigureAwait(false);
                    await TableLoaderStore.HoldLoaderAsync(connection, transaction, claim.File.RunId, targetSchema, claim.File.Table, claimLost.Token).ConfigureAwait(false);
                    var casts = await CastsAsync(connection, transaction, claimLost.Token).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction,
                        $"CREATE TEMP TABLE sfpg_unload_stage ({string.Join(", ", casts.Select((_, i) => $"c{i} text"))}) ON COMMIT DROP", claimLost.Token).ConfigureAwait(false);
                    await CopyFileAsync(connection, claim.File, claimLost.Token).ConfigureAwait(false);
                    var rows = await ExecuteAsync(connection, transaction,
                        $"INSERT INTO {PgIdentifier.Quote(targetSchema, targetTable)} ({string.Join(", ", columns.Select(PgIdentifier.Quote))}) SELECT {string.Join(", ", casts)} FROM {Staging}",
                        claimLost.Token).ConfigureAwait(false);
                    if (rows != claim.File.RowCount)
                    {
                        throw new SfPgException(ErrorCatalog.UnloadedFileInvalid,
                            $"{targetSchema}.{targetTable} chunk {claim.File.ChunkId} file '{claim.File.FileName}' holds {rows:N0} rows but Snowflake reported {claim.File.RowCount:N0}.",
                            target: claim.File.FileName, recommendedAction: null);
                    }

                    // The completion holds the file's row lock until commit; the heartbeat must not wait on it.
                    await ClaimHeartbeat.StopAsync(claimLost, heartbeat).ConfigureAwait(false);
                    await UnloadFileStore.MarkCompletedAsync(connection, transaction, claim, rows, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return rows;
                }
            }
        }
        finally
        {
            await ClaimHeartbeat.StopAsync(claimLost, heartbeat).ConfigureAwait(false);
        }
    }

    private async Task CopyFileAsync(NpgsqlConnection connection, UnloadedFile file, CancellationToken cancellationToken)
    {
        var blob = blobs.OpenRead(new BlobItem(file.FileName, file.FileSize), clock: clock);
        await using (blob.ConfigureAwait(false))
        {
            var gzip = new GZipStream(blob, CompressionMode.Decompress);
            await using (gzip.ConfigureAwait(false))
            {
                using var text = new StreamReader(gzip, Encoding.UTF8);
                var writer = await connection.BeginTextImportAsync($"COPY {Staging} FROM STDIN {UnloadFileFormat.PostgresCopyOptions}", cancellationToken).ConfigureAwait(false);
                await using (writer.ConfigureAwait(false))
                {
                    var buffer = new char[CharBuffer];
                    int read;
                    while ((read = await text.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>Each staged text column cast to its target column's type, read from the catalogue (never from the file).</summary>
    private async Task<List<string>> CastsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            """,
            connection,
            transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("table", PgIdentifier.Quote(targetSchema, targetTable));
            var types = new Dictionary<string, (string Type, string Name)>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    types[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
                }
            }

            return columns.Select((column, i) => types.TryGetValue(column, out var type)
                    ? type.Name == "bytea" ? $"decode(c{i}, 'hex')" : $"c{i}::{type.Type}"
                    : throw new SfPgException(ErrorCatalog.TargetTableMissing,
                        $"Target column {targetSchema}.{targetTable}.{column} does not exist; the unloaded files carry it.", target: $"{targetSchema}.{targetTable}", recommendedAction: null))
                .ToList();
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
