using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// The Snowflake predicate and paging of a chunk, rebuilt from its stored typed bounds and the table's config every
/// time the chunk is read. The <c>predicate</c> column of the status schema is a copy for people to read and is never
/// sent anywhere: whoever can write the status schema can change which rows of the table a chunk covers, but not
/// make the tool read another table or run other SQL. Names go through <see cref="SnowflakeIdentifier.Quote(string)"/>
/// and values through <see cref="SnowflakeSql.Literal"/>, as at planning; the only SQL text is the config's source_filter.
/// </summary>
public static class ChunkSourcePredicate
{
    /// <summary>The chunk's predicate, the table's scope (source_filter, watermark) included.</summary>
    /// <param name="table">The table's config: its source_filter is the only SQL text that is used.</param>
    /// <param name="chunkId">The chunk, for messages.</param>
    /// <param name="strategy">The chunk's strategy name as stored.</param>
    /// <param name="boundsJson">The chunk's stored bounds.</param>
    /// <param name="tableBoundsJson">The stored bounds of every chunk of the table: a grouped-values remainder is every value the others do not hold.</param>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.ChunkBoundsUnreadable"/> when the bounds do not describe a chunk.</exception>
    public static string For(TableConfig table, int chunkId, string strategy, string? boundsJson, IEnumerable<string?> tableBoundsJson)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(tableBoundsJson);
        var reader = new Reader(table.Source, chunkId);
        var bounds = reader.Bounds(boundsJson);
        var scope = ChunkPredicates.SourceFilter(table.SourceFilter, table.Source);
        if (bounds.WatermarkColumn is { } watermark)
        {
            var newer = $"({SnowflakeIdentifier.Quote(watermark)} >= {SnowflakeSql.Literal(reader.Value(bounds.WatermarkType, bounds.WatermarkFrom))})";
            scope = scope is null ? newer : $"{scope} AND {newer}";
        }

        var chunk = ChunkOnly(reader, strategy, bounds, tableBoundsJson);
        return scope is null ? chunk : ChunkPredicates.And(scope, chunk);
    }

    /// <summary>Whether the chunk is a grouped-values remainder, whose predicate needs the bounds of the table's other chunks.</summary>
    public static bool IsRemainder(string table, int chunkId, string? boundsJson) =>
        new Reader(table, chunkId).Bounds(boundsJson).IsRemainder;

    /// <summary>For an offset page, its order and place; null for every other chunk.</summary>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.ChunkBoundsUnreadable"/> when a page's order columns are not stored.</exception>
    public static OffsetPage? PageOf(string table, int chunkId, string? boundsJson)
    {
        var reader = new Reader(table, chunkId);
        var bounds = reader.Bounds(boundsJson);
        if (bounds.Offset is not { } offset)
        {
            return null;
        }

        if (bounds.OrderColumns is not { Count: > 0 } columns)
        {
            throw reader.Unreadable("the offset page names no order columns");
        }

        var orderBy = string.Join(", ", columns.Select(c => SnowflakeIdentifier.Quote(c) + " NULLS LAST"));
        return new OffsetPage(orderBy, offset, bounds.Limit);
    }

    private static string ChunkOnly(Reader reader, string strategy, ChunkBounds bounds, IEnumerable<string?> tableBoundsJson)
    {
        if (bounds.Column is null || bounds.Offset is not null)
        {
            return ChunkPredicates.All;
        }

        var key = SnowflakeIdentifier.Quote(bounds.Column);
        if (bounds.IsNullKeys)
        {
            return ChunkPredicates.IsNull(key);
        }

        if (bounds.IsRemainder)
        {
            var others = tableBoundsJson
                .Select(reader.Bounds)
                .Where(b => b is { IsRemainder: false, Values: not null })
                .SelectMany(b => b.Values!.Select(v => reader.Value(b.KeyType, v)));
            return ChunkPredicates.NotIn(key, others);
        }

        if (bounds.Values is { } values)
        {
            return values.Count == 0 ? "(1 = 0)" : ChunkPredicates.In(key, values.Select(v => reader.Value(bounds.KeyType, v)));
        }

        var byDay = ChunkStrategyNames.TryParse(strategy, out var parsed) && parsed is ChunkStrategy.DateRange or ChunkStrategy.DateRangeWithSubChunks;
        var range = ChunkPredicates.Range(
            byDay ? PlanningSql.DayOf(key) : key,
            reader.Optional(bounds.KeyType, bounds.Lower),
            reader.Optional(bounds.KeyType, bounds.Upper));
        if (bounds.SubColumn is not { } subColumn)
        {
            return range;
        }

        var sub = SnowflakeIdentifier.Quote(subColumn);
        var subRange = ChunkPredicates.Range(sub, reader.Optional(bounds.SubKeyType, bounds.SubLower), reader.Optional(bounds.SubKeyType, bounds.SubUpper));

        // The planner gives rows with a NULL secondary key to the sub-range that is open below.
        return ChunkPredicates.And(range, bounds.SubLower is null ? ChunkPredicates.Or(ChunkPredicates.IsNull(sub), subRange) : subRange);
    }

    private sealed class Reader(string table, int chunkId)
    {
        public ChunkBounds Bounds(string? json)
        {
            try
            {
                return ChunkBoundsJson.Read(json) ?? new ChunkBounds(null);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw Unreadable($"its bounds are not valid JSON ({ex.Message})");
            }
        }

        public object? Optional(string? type, string? text) => text is null ? null : Value(type, text);

        public object Value(string? type, string? text)
        {
            if (type is null || text is null)
            {
                throw Unreadable("a bound value has no stored type");
            }

            try
            {
                return ChunkBoundValue.Read(type, text);
            }
            catch (FormatException)
            {
                throw Unreadable($"the bound '{Excerpt(text)}' is not a {type} value");
            }
        }

        public SfPgException Unreadable(string why) => new(
            ErrorCatalog.ChunkBoundsUnreadable,
            // The code travels in the text: a chunk's status keeps only the message.
            $"Table {table}, chunk {chunkId}: {why}, so the rows it reads cannot be rebuilt from it. Nothing of this chunk was read. " +
            $"[{ErrorCatalog.ChunkBoundsUnreadable.Code}: {ErrorCatalog.ChunkBoundsUnreadable.RecommendedAction}]",
            target: $"{table}#{chunkId}",
            recommendedAction: null);

        private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "...";
    }
}
