using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// One side of a keyed merge: the current row, its key and (unless keys only are read) its hash, and a check that
/// keys never go backwards, so two sides that do not sort alike fail loudly (SFPG4430) instead of reporting
/// rows as missing and extra. With <c>keysOnly</c> the row starts with the key's values, in key order.
/// </summary>
internal sealed class KeyedMergeSide(KeyedTable table, string side, IAsyncEnumerator<object?[]> rows, bool keysOnly = false)
{
    /// <summary>The current row (its key at the table's key positions); null past the end.</summary>
    public object?[]? Row { get; private set; }

    /// <summary>The current row's key values, in key order.</summary>
    public object?[] KeyValues { get; private set; } = [];

    public ulong Hash { get; private set; }

    public long Rows { get; private set; }

    public async Task NextAsync()
    {
        var previous = Row;
        if (!await rows.MoveNextAsync().ConfigureAwait(false))
        {
            Row = null;
            return;
        }

        var row = rows.Current;
        Rows++;
        Hash = keysOnly ? 0 : RowChecksum.HashRow(row);
        Row = row;
        var previousKey = KeyValues;
        KeyValues = keysOnly ? row[..table.KeyIndexes.Count] : table.KeyIndexes.Select(i => row[i]).ToArray();
        if (previous is not null && KeyedValueOrder.Compare(previousKey, KeyValues) > 0)
        {
            throw new SfPgException(
                ErrorCatalog.KeyedOrderDisagrees,
                $"Table {table.Name}: the {side} returned key ({string.Join(", ", KeyValues.Select(KeyedValueOrder.Render))}) after " +
                $"({string.Join(", ", previousKey.Select(KeyedValueOrder.Render))}), so its order of {string.Join(", ", table.KeyNames)} " +
                "is not the byte-wise order the comparison merges by. Nothing was changed.",
                target: table.Name,
                recommendedAction: null);
        }
    }
}
