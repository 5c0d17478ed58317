using System.Globalization;
using System.Text.RegularExpressions;
using SnowPgMigration.Emulator.Results;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// <c>DESCRIBE TABLE t</c> (or <c>DESC TABLE t</c>), answered as Snowflake does: one row per column with its declared
/// type (<c>NUMBER(38,0)</c>, <c>VARCHAR(16777216)</c>, <c>VECTOR(FLOAT, 3)</c>...), derived from the same mapping as
/// the rowType, so it shows what the rowType cannot (a VECTOR's element type and dimension).
/// </summary>
internal static partial class DescribeTableStatement
{
    /// <summary>Snowflake's output columns, in order.</summary>
    private static readonly string[] OutputColumns =
        ["name", "type", "kind", "null?", "default", "primary key", "unique key", "check", "expression", "comment", "policy name", "privacy domain"];

    /// <summary>The table named by a DESCRIBE TABLE statement, as written; null for any other statement.</summary>
    public static string? TableOf(string statement)
    {
        var match = Statement().Match(SqlText.MaskLiteralsAndComments(statement));
        return match.Success ? statement.Substring(match.Groups["table"].Index, match.Groups["table"].Length) : null;
    }

    /// <summary>The zero-row query whose column metadata describes the table.</summary>
    public static string ColumnsQuery(string table) => $"SELECT * FROM {table} LIMIT 0";

    public static IReadOnlyList<ResultColumn> Columns { get; } = OutputColumns
        .Select(name => new ResultColumn
        {
            Name = name, Type = "text", Kind = ValueKind.Text,
            Length = ColumnTypeMapper.DefaultTextLength, ByteLength = 4 * ColumnTypeMapper.DefaultTextLength,
        })
        .ToArray();

    /// <summary>One output row for a column of the described table.</summary>
    public static string?[] Row(ResultColumn column) =>
        [column.Name, TypeText(column), "COLUMN", column.Nullable ? "Y" : "N", null, "N", "N", null, null, null, null, null];

    /// <summary>The declared type as Snowflake writes it.</summary>
    internal static string TypeText(ResultColumn column) => column.Type switch
    {
        "fixed" => Invariant($"NUMBER({column.Precision ?? 38},{column.Scale ?? 0})"),
        "real" => "FLOAT",
        "text" => Invariant($"VARCHAR({column.Length ?? ColumnTypeMapper.DefaultTextLength})"),
        "binary" => Invariant($"BINARY({column.Length ?? ColumnTypeMapper.BinaryLength})"),
        "time" => Invariant($"TIME({column.Scale ?? 9})"),
        "timestamp_ntz" or "timestamp_ltz" or "timestamp_tz" => Invariant($"{column.Type.ToUpperInvariant()}({column.Scale ?? 9})"),
        "object" => column.ExtTypeName ?? "OBJECT",
        "vector" => SnowflakeTypeDomains.VectorTypeName(column.ElementKind == ValueKind.Fixed ? "INT" : "FLOAT", column.VectorDimension ?? 0),
        _ => column.Type.ToUpperInvariant(),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*DESC(?:RIBE)?\s+TABLE\s+(?<table>.+?)\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Statement();
}
