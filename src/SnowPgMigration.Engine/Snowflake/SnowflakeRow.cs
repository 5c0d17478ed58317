using System.Text;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// One result row decoded without boxing: numbers, dates, timestamps and booleans are kept by
/// kind in reused cells, and text without escapes as the bytes it has in the partition. The same
/// instance is filled row after row, so a row is valid only until the next one is read; a caller
/// that keeps values takes <see cref="ToValues"/>, which are the values
/// <see cref="SnowflakeResult.ReadRowsAsync"/> yields.
/// </summary>
internal sealed class SnowflakeRow
{
    private readonly Cell[] _cells;
    private ReadOnlyMemory<byte> _data;

    public SnowflakeRow(int columns) => _cells = new Cell[columns];

    public int Count => _cells.Length;

    public SnowflakeCellKind KindOf(int column) => _cells[column].Kind;

    public long Integer(int column) => _cells[column].Word;

    public decimal Decimal(int column) => _cells[column].Decimal;

    public double Double(int column) => BitConverter.Int64BitsToDouble(_cells[column].Word);

    public bool Boolean(int column) => _cells[column].Word != 0;

    public int DayNumber(int column) => (int)_cells[column].Word;

    /// <summary>A timestamp's ticks: the wall clock's for TIMESTAMP_NTZ, UTC for the others.</summary>
    public long Ticks(int column) => _cells[column].Word;

    public int OffsetMinutes(int column) => _cells[column].Extra;

    /// <summary>A text cell's UTF-8 bytes, as they lie in the partition (no escapes, so they are the text's own).</summary>
    public ReadOnlySpan<byte> Utf8(int column) => _data.Span.Slice((int)_cells[column].Word, _cells[column].Extra);

    public object Object(int column) => _cells[column].Object!;

    /// <summary>The value as the .NET object <see cref="SnowflakeResult.ReadRowsAsync"/> yields for it.</summary>
    public object? ValueOf(int column)
    {
        ref readonly var cell = ref _cells[column];
        return cell.Kind switch
        {
            SnowflakeCellKind.Null => null,
            SnowflakeCellKind.Integer => cell.Word,
            SnowflakeCellKind.Decimal => cell.Decimal,
            SnowflakeCellKind.Double => Double(column),
            SnowflakeCellKind.Boolean => cell.Word != 0,
            SnowflakeCellKind.Date => DateOnly.FromDayNumber((int)cell.Word),
            SnowflakeCellKind.TimestampNtz => new DateTime(cell.Word, DateTimeKind.Unspecified),
            SnowflakeCellKind.TimestampLtz => new DateTime(cell.Word, DateTimeKind.Utc),
            SnowflakeCellKind.TimestampTz => ToDateTimeOffset(cell.Word, cell.Extra),
            SnowflakeCellKind.Text => TextOf(Utf8(column)),
            _ => cell.Object,
        };
    }

    /// <summary>The row's values as a new array of .NET objects.</summary>
    public object?[] ToValues()
    {
        var values = new object?[_cells.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ValueOf(i);
        }

        return values;
    }

    /// <summary>The bytes text cells point into: the partition being read.</summary>
    internal void Use(ReadOnlyMemory<byte> data) => _data = data;

    internal void SetNull(int column) => _cells[column] = default;

    internal void Set(int column, SnowflakeCellKind kind, long word, int extra = 0) =>
        _cells[column] = new Cell { Kind = kind, Word = word, Extra = extra };

    internal void SetDecimal(int column, decimal value) =>
        _cells[column] = new Cell { Kind = SnowflakeCellKind.Decimal, Decimal = value };

    internal void SetText(int column, int offset, int length) =>
        _cells[column] = new Cell { Kind = SnowflakeCellKind.Text, Word = offset, Extra = length };

    internal void SetObject(int column, object value) =>
        _cells[column] = new Cell { Kind = SnowflakeCellKind.Object, Object = value };

    internal static DateTimeOffset ToDateTimeOffset(long utcTicks, int offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    /// <summary>As the JSON reader's GetString does: invalid UTF-8 is refused, not replaced.</summary>
    private static string TextOf(ReadOnlySpan<byte> utf8) => Strict.GetString(utf8);

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private struct Cell
    {
        public SnowflakeCellKind Kind;
        public int Extra;
        public long Word;
        public decimal Decimal;
        public object? Object;
    }
}
