using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Chooses how a table is written, once, before any worker starts, so every chunk uses the same
/// method (seed 001 §4) and a date-chunked table never COPYs a key twice (§9).
/// </summary>
public static class LoadMethodDecision
{
    /// <returns>The method and the reason, for the dry run and the log.</returns>
    public static (LoadMethod Method, string Reason) Decide(
        string table,
        bool truncateOnStart,
        bool insertOnlyMode,
        bool hasUniquenessColumns,
        bool targetHasRows,
        ChunkStrategy strategy)
    {
        if (truncateOnStart)
        {
            return (LoadMethod.Copy, "truncate_onstart empties the table once, then binary COPY");
        }

        var dateChunked = strategy is ChunkStrategy.DateRange or ChunkStrategy.DateRangeWithSubChunks;
        if (!targetHasRows && !(dateChunked && hasUniquenessColumns))
        {
            return (LoadMethod.Copy, "the target table is empty: binary COPY");
        }

        if (hasUniquenessColumns)
        {
            var why = targetHasRows ? "the target already has rows" : "a row's date can move between date chunks while the run goes on";
            return insertOnlyMode
                ? (LoadMethod.InsertOnly, $"{why}; insert_only_mode keeps existing rows (ON CONFLICT DO NOTHING)")
                : (LoadMethod.Upsert, $"{why}: staged COPY, then upsert where the incoming row is newer");
        }

        throw new SfPgException(
            ErrorCatalog.TargetNotEmptyWithoutKey,
            $"Table {table}: the target already has rows and no uniqueness_columns are configured, so loading would duplicate rows.",
            target: table,
            recommendedAction: null);
    }
}
