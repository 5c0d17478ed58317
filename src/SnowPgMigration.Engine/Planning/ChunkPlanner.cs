using System.Globalization;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// Splits a table into chunks that partition its rows exactly: boundaries come from the data's
/// distribution, the first range is open below and the last open above, NULL keys have their own
/// chunk, so a row inserted anywhere after planning still falls in exactly one chunk.
/// </summary>
/// <remarks>Planning sends at most three statements per table, whatever its size.</remarks>
public sealed class ChunkPlanner(ISourceQuery source)
{
    /// <summary>Most distinct values a grouped-values plan enumerates.</summary>
    public const int MaxGroupedValues = 10_000;

    public async Task<TablePlan> PlanAsync(ChunkPlanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.BatchSize, 1);
        var scope = request.Scope ?? ChunkPredicates.All;

        if (request.ForcedStrategy is ChunkStrategy.Offset)
        {
            return await PlanOffsetAsync(request, scope, cancellationToken).ConfigureAwait(false);
        }

        if (request.ChunkingColumns.Count == 0 || request.ForcedStrategy is ChunkStrategy.SingleChunk)
        {
            var rows = await CountAsync(request.SourceTable, scope, cancellationToken).ConfigureAwait(false);
            var why = request.ChunkingColumns.Count == 0 ? "no chunking_columns are configured" : "the config asks for one chunk";
            return Single(request, rows, why, statements: 1);
        }

        return request.ForcedStrategy switch
        {
            ChunkStrategy.GroupedValues => await PlanGroupedAsync(request, scope, cancellationToken).ConfigureAwait(false),
            ChunkStrategy.DateRange or ChunkStrategy.DateRangeWithSubChunks => await PlanDaysAsync(request, scope, cancellationToken).ConfigureAwait(false),
            ChunkStrategy.KeyRange => await PlanKeyRangeAsync(request, scope, cancellationToken).ConfigureAwait(false),
            _ when request.KeyFamilies.Count > 0 && request.KeyFamilies[0] == ChunkKeyFamily.Temporal =>
                await PlanDaysAsync(request, scope, cancellationToken).ConfigureAwait(false),
            _ => await PlanKeyRangeAsync(request, scope, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<TablePlan> PlanKeyRangeAsync(ChunkPlanRequest request, string scope, CancellationToken cancellationToken)
    {
        var key = SnowflakeIdentifier.Quote(request.ChunkingColumns[0]);
        var bucketSize = RangeChunker.BucketSize(request.BatchSize);
        var statements = 0;
        List<KeyBucket>? buckets = null;
        var how = "follow its distribution (one quantile query)";
        if (request.KeyFamilies.Count > 0 && request.KeyFamilies[0] == ChunkKeyFamily.Numeric)
        {
            // A numeric key is profiled first: a table within one batch needs nothing more, and a dense integer key
            // is bucketed by equal ranges in one grouped pass instead of sorting every row for its quantiles.
            var profile = await ReadProfileAsync(PlanningSql.KeyProfile(request.SourceTable.Quoted, scope, key), cancellationToken).ConfigureAwait(false);
            statements++;
            if (profile.Rows <= request.BatchSize && request.ForcedStrategy is null)
            {
                return Single(request, profile.Rows, FitsOneBatch(profile.Rows, request.BatchSize), statements);
            }

            if (profile.EqualRanges(bucketSize) is { } equal)
            {
                var histogram = await ReadBucketsAsync(
                    PlanningSql.KeyHistogram(request.SourceTable.Quoted, scope, key, equal.Origin, equal.Width), cancellationToken).ConfigureAwait(false);
                statements++;
                // A range holding more than a batch (the key is denser somewhere) is left to the quantiles, which split anywhere.
                if (histogram.All(b => b.IsNullKeys || b.Count <= request.BatchSize))
                {
                    buckets = histogram;
                    how = $"split into equal ranges of {equal.Width:N0} values (a dense integer key: one grouped query after its profile)";
                }
            }
        }

        if (buckets is null)
        {
            buckets = await ReadBucketsAsync(
                PlanningSql.KeyBuckets(request.SourceTable.Quoted, scope, key, bucketSize),
                cancellationToken).ConfigureAwait(false);
            statements++;
        }

        var total = buckets.Sum(b => b.Count);
        if (total <= request.BatchSize && request.ForcedStrategy is null)
        {
            return Single(request, total, FitsOneBatch(total, request.BatchSize), statements);
        }

        var nullRows = buckets.Where(b => b.IsNullKeys).Sum(b => b.Count);
        var ranges = RangeChunker.Chunk(buckets.Where(b => !b.IsNullKeys).ToList(), request.BatchSize);
        var chunks = new List<PlannedChunk>(ranges.Count + 1);
        foreach (var range in ranges)
        {
            chunks.Add(new PlannedChunk(
                chunks.Count,
                ChunkStrategy.KeyRange,
                ChunkPredicates.Range(key, range.Lower, range.Upper),
                new ChunkBounds(request.ChunkingColumns[0], Invariant(range.Lower), Invariant(range.Upper)) { KeyType = TypeOf(range.Lower, range.Upper) },
                range.ExpectedRows));
        }

        chunks.Add(NullChunk(chunks.Count, ChunkStrategy.KeyRange, request.ChunkingColumns[0], key, nullRows));
        var reason = $"{total:N0} rows exceed one batch of {request.BatchSize:N0}; ranges of {request.ChunkingColumns[0]} {how}";
        return new TablePlan(request.SourceTable.ToString(), ChunkStrategy.KeyRange, reason, request.Scope, chunks, statements);
    }

    private async Task<TablePlan> PlanDaysAsync(ChunkPlanRequest request, string scope, CancellationToken cancellationToken)
    {
        var column = request.ChunkingColumns[0];
        var key = SnowflakeIdentifier.Quote(column);
        var day = PlanningSql.DayOf(key);
        var days = new List<(DateOnly? Day, long Rows)>();
        await foreach (var row in source.QueryAsync(PlanningSql.DayCounts(request.SourceTable.Quoted, scope, key), cancellationToken).ConfigureAwait(false))
        {
            days.Add((row[0] is null ? null : ToDate(row[0]!), Convert.ToInt64(row[1], CultureInfo.InvariantCulture)));
        }

        var total = days.Sum(d => d.Rows);
        if (total <= request.BatchSize && request.ForcedStrategy is null)
        {
            return Single(request, total, FitsOneBatch(total, request.BatchSize), statements: 1);
        }

        var nullRows = days.Where(d => d.Day is null).Sum(d => d.Rows);
        var groups = GroupDays(days.Where(d => d.Day is not null).Select(d => (d.Day!.Value, d.Rows)).ToList(), request.BatchSize);
        var oversized = groups.Where(g => g.Rows > request.BatchSize).Select(g => g.First).ToList();
        var secondary = request.UniquenessColumns.FirstOrDefault(u => u != column);

        var subBuckets = new Dictionary<DateOnly, List<KeyBucket>>();
        var statements = 1;
        if (oversized.Count > 0 && secondary is not null)
        {
            var inDays = ChunkPredicates.In(day, oversized.Cast<object>());
            var sql = PlanningSql.KeyBuckets(
                request.SourceTable.Quoted, ChunkPredicates.And(scope, inDays), SnowflakeIdentifier.Quote(secondary),
                RangeChunker.BucketSize(request.BatchSize), partition: day);
            foreach (var bucket in await ReadBucketsAsync(sql, cancellationToken).ConfigureAwait(false))
            {
                var bucketDay = ToDate(bucket.Partition!);
                if (!subBuckets.TryGetValue(bucketDay, out var list))
                {
                    subBuckets[bucketDay] = list = [];
                }

                list.Add(bucket);
            }

            statements++;
        }

        var chunks = new List<PlannedChunk>();
        for (var i = 0; i < groups.Count; i++)
        {
            object? lower = i == 0 ? null : groups[i].First;
            object? upper = i == groups.Count - 1 ? null : groups[i + 1].First;
            var dayRange = ChunkPredicates.Range(day, lower, upper);
            if (groups[i].Rows > request.BatchSize && secondary is not null && subBuckets.TryGetValue(groups[i].First, out var buckets))
            {
                AddSubChunks(chunks, dayRange, groups[i].First, secondary, buckets, request.BatchSize, column, lower, upper);
                continue;
            }

            chunks.Add(new PlannedChunk(
                chunks.Count,
                ChunkStrategy.DateRange,
                dayRange,
                new ChunkBounds(column, Invariant(lower), Invariant(upper)) { KeyType = ChunkBoundValue.Date },
                groups[i].Rows));
        }

        chunks.Add(NullChunk(chunks.Count, ChunkStrategy.DateRange, column, key, nullRows));
        var split = subBuckets.Count > 0;
        var reason = $"{column} is a date or timestamp: calendar days merged up to {request.BatchSize:N0} rows"
            + (split ? $"; {subBuckets.Count} day(s) larger than a batch split by ranges of {secondary}" : "")
            + (oversized.Count > 0 && secondary is null ? $"; {oversized.Count} day(s) exceed a batch and stay whole because no uniqueness_columns are configured" : "");
        return new TablePlan(
            request.SourceTable.ToString(),
            split ? ChunkStrategy.DateRangeWithSubChunks : ChunkStrategy.DateRange,
            reason,
            request.Scope,
            chunks,
            statements);
    }

    private static void AddSubChunks(
        List<PlannedChunk> chunks,
        string dayRange,
        DateOnly day,
        string secondary,
        List<KeyBucket> buckets,
        int batchSize,
        string column,
        object? dayLower,
        object? dayUpper)
    {
        var key = SnowflakeIdentifier.Quote(secondary);
        var nullRows = buckets.Where(b => b.IsNullKeys).Sum(b => b.Count);
        var ranges = RangeChunker.Chunk(buckets.Where(b => !b.IsNullKeys).ToList(), batchSize);
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            var keyPredicate = ChunkPredicates.Range(key, range.Lower, range.Upper);
            // Rows with a NULL secondary key ride with the first sub-range, so the day stays covered.
            if (i == 0)
            {
                keyPredicate = ChunkPredicates.Or(ChunkPredicates.IsNull(key), keyPredicate);
            }

            chunks.Add(new PlannedChunk(
                chunks.Count,
                ChunkStrategy.DateRangeWithSubChunks,
                ChunkPredicates.And(dayRange, keyPredicate),
                new ChunkBounds(column, Invariant(dayLower), Invariant(dayUpper), Day: Invariant(day))
                {
                    KeyType = ChunkBoundValue.Date,
                    SubKeyType = TypeOf(range.Lower, range.Upper),
                    SubColumn = secondary,
                    SubLower = Invariant(range.Lower),
                    SubUpper = Invariant(range.Upper),
                },
                range.ExpectedRows + (i == 0 ? nullRows : 0)));
        }
    }

    private async Task<TablePlan> PlanGroupedAsync(ChunkPlanRequest request, string scope, CancellationToken cancellationToken)
    {
        var column = request.ChunkingColumns[0];
        var key = SnowflakeIdentifier.Quote(column);
        var values = new List<(object? Value, long Rows)>();
        await foreach (var row in source.QueryAsync(PlanningSql.ValueCounts(request.SourceTable.Quoted, scope, key, MaxGroupedValues + 1), cancellationToken).ConfigureAwait(false))
        {
            values.Add((row[0], Convert.ToInt64(row[1], CultureInfo.InvariantCulture)));
        }

        if (values.Count > MaxGroupedValues)
        {
            throw new SfPgException(
                ErrorCatalog.PlanningTooManyGroupedValues,
                $"{request.SourceTable}: {column} has more than {MaxGroupedValues:N0} distinct values, too many for grouped-values chunking.",
                target: request.SourceTable.ToString(),
                recommendedAction: "Let the planner choose (remove the forced strategy) so it uses key ranges, or chunk by another column.");
        }

        var chunks = new List<PlannedChunk>();
        var planned = new List<object>();
        var group = new List<object>();
        long groupRows = 0;
        void Flush()
        {
            if (group.Count == 0)
            {
                return;
            }

            chunks.Add(new PlannedChunk(
                chunks.Count,
                ChunkStrategy.GroupedValues,
                ChunkPredicates.In(key, group),
                new ChunkBounds(column, Values: group.Select(v => Invariant(v)!).ToList()) { KeyType = TypeOf([.. group]) },
                groupRows));
            group = [];
            groupRows = 0;
        }

        foreach (var (value, rows) in values.Where(v => v.Value is not null))
        {
            if (group.Count > 0 && groupRows + rows > request.BatchSize)
            {
                Flush();
            }

            group.Add(value!);
            planned.Add(value!);
            groupRows += rows;
        }

        Flush();
        var nullRows = values.Where(v => v.Value is null).Sum(v => v.Rows);
        chunks.Add(new PlannedChunk(
            chunks.Count,
            ChunkStrategy.GroupedValues,
            ChunkPredicates.NotIn(key, planned),
            new ChunkBounds(column, IsRemainder: true),
            nullRows));
        var reason = $"the config asks for grouped values: {planned.Count:N0} distinct values of {column} in batches, plus a remainder chunk for NULLs and values that appear later";
        return new TablePlan(request.SourceTable.ToString(), ChunkStrategy.GroupedValues, reason, request.Scope, chunks, SourceStatements: 1);
    }

    private async Task<TablePlan> PlanOffsetAsync(ChunkPlanRequest request, string scope, CancellationToken cancellationToken)
    {
        var order = request.ChunkingColumns.Concat(request.UniquenessColumns).Distinct().ToList();
        if (order.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.PlanningOffsetNeedsOrder,
                $"{request.SourceTable}: offset chunking needs a deterministic order, but the table has no chunking_columns or uniqueness_columns.",
                target: request.SourceTable.ToString(),
                recommendedAction: "Add uniqueness_columns (a key that identifies each row) to the table's config.");
        }

        var total = await CountAsync(request.SourceTable, scope, cancellationToken).ConfigureAwait(false);
        var orderBy = string.Join(", ", order.Select(c => SnowflakeIdentifier.Quote(c) + " NULLS LAST"));
        var chunks = new List<PlannedChunk>();
        for (long offset = 0; offset == 0 || offset < total; offset += request.BatchSize)
        {
            var last = offset + request.BatchSize >= total;
            long? limit = last ? null : request.BatchSize;
            chunks.Add(new PlannedChunk(
                chunks.Count,
                ChunkStrategy.Offset,
                ChunkPredicates.All,
                new ChunkBounds(null, Offset: offset, Limit: limit) { OrderBy = orderBy, OrderColumns = order },
                last ? total - offset : request.BatchSize,
                orderBy,
                offset,
                limit));
        }

        var reason = $"the config asks for offset pages ordered by {string.Join(", ", order)}; the last page is open-ended, but rows inserted mid-run shift pages, so copy from a stable source";
        return new TablePlan(request.SourceTable.ToString(), ChunkStrategy.Offset, reason, request.Scope, chunks, SourceStatements: 1);
    }

    private async Task<List<KeyBucket>> ReadBucketsAsync(string sql, CancellationToken cancellationToken)
    {
        var buckets = new List<KeyBucket>();
        await foreach (var row in source.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(new KeyBucket(
                row[0],
                row[2],
                row[3],
                Convert.ToInt64(row[4], CultureInfo.InvariantCulture),
                row[5] is null ? 0 : Convert.ToInt64(row[5], CultureInfo.InvariantCulture)));
        }

        return buckets;
    }

    private async Task<KeyProfile> ReadProfileAsync(string sql, CancellationToken cancellationToken)
    {
        await foreach (var row in source.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            return new KeyProfile(row[0], row[1], Convert.ToInt64(row[2], CultureInfo.InvariantCulture), Convert.ToInt64(row[3], CultureInfo.InvariantCulture));
        }

        return new KeyProfile(null, null, 0, 0);
    }

    private async Task<long> CountAsync(SnowflakeTableName table, string scope, CancellationToken cancellationToken)
    {
        await foreach (var row in source.QueryAsync(SnowflakeSql.Count(table, scope), cancellationToken).ConfigureAwait(false))
        {
            return Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
        }

        return 0;
    }

    /// <summary>Consecutive days merged while the running total stays within a batch; a big day stands alone.</summary>
    internal static List<(DateOnly First, long Rows)> GroupDays(IReadOnlyList<(DateOnly Day, long Rows)> days, int batchSize)
    {
        var groups = new List<(DateOnly First, long Rows)>();
        foreach (var (day, rows) in days)
        {
            if (groups.Count > 0 && groups[^1].Rows + rows <= batchSize)
            {
                groups[^1] = (groups[^1].First, groups[^1].Rows + rows);
            }
            else
            {
                groups.Add((day, rows));
            }
        }

        return groups;
    }

    private static TablePlan Single(ChunkPlanRequest request, long rows, string reason, int statements) =>
        new(
            request.SourceTable.ToString(),
            ChunkStrategy.SingleChunk,
            reason,
            request.Scope,
            [new PlannedChunk(0, ChunkStrategy.SingleChunk, ChunkPredicates.All, new ChunkBounds(null), rows)],
            statements);

    private static PlannedChunk NullChunk(int id, ChunkStrategy strategy, string column, string key, long rows) =>
        new(id, strategy, ChunkPredicates.IsNull(key), new ChunkBounds(column, IsNullKeys: true), rows);

    private static string FitsOneBatch(long rows, int batchSize) =>
        $"{rows:N0} rows fit in one batch of {batchSize:N0}";

    private static DateOnly ToDate(object value) => value switch
    {
        DateOnly date => date,
        DateTime time => DateOnly.FromDateTime(time),
        DateTimeOffset time => DateOnly.FromDateTime(time.DateTime),
        string text => DateOnly.Parse(text, CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"Expected a date from the source, got {value.GetType().Name}."),
    };

    private static string? Invariant(object? value) => ChunkBoundValue.Write(value);

    /// <summary>The one stored type of a chunk's key values; null when it has none.</summary>
    private static string? TypeOf(params object?[] values)
    {
        var types = values.Where(v => v is not null).Select(ChunkBoundValue.TypeOf).Distinct().ToList();
        return types.Count == 1 ? types[0] : null;
    }
}
