using System.Globalization;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// A PostgreSQL column type the tool creates, as written in DDL (<see cref="Sql"/>) and as pg_type names its base
/// (<see cref="InternalName"/>): the closed set the type contract and <c>column_types</c> overrides may use.
/// </summary>
public sealed partial record PostgresTypeName(string Sql, string InternalName)
{
    /// <summary>Longest varchar(n) PostgreSQL accepts; longer declared text becomes <c>text</c>.</summary>
    public const int MaxVarcharLength = 10_485_760;

    /// <summary>The column this type would give, for the checks that compare declared types.</summary>
    public TargetColumn AsColumn(string name, bool notNull) => new(name, InternalName, Sql, notNull, IsWritable: true);

    /// <summary>Parses one of the types the tool creates; null for anything else (a user override is then refused).</summary>
    public static PostgresTypeName? Parse(string? written)
    {
        if (string.IsNullOrWhiteSpace(written))
        {
            return null;
        }

        var text = Spaces().Replace(written.Trim().ToLowerInvariant(), " ");
        switch (text)
        {
            case "smallint" or "int2": return new("smallint", "int2");
            case "integer" or "int" or "int4": return new("integer", "int4");
            case "bigint" or "int8": return new("bigint", "int8");
            case "real" or "float4": return new("real", "float4");
            case "double precision" or "float8": return new("double precision", "float8");
            case "numeric" or "decimal": return new("numeric", "numeric");
            case "text": return new("text", "text");
            case "boolean" or "bool": return new("boolean", "bool");
            case "date": return new("date", "date");
            case "jsonb": return new("jsonb", "jsonb");
            case "bytea": return new("bytea", "bytea");
            case "uuid": return new("uuid", "uuid");
            case "double precision[]" or "float8[]": return new("double precision[]", "_float8");
            case "real[]" or "float4[]": return new("real[]", "_float4");
            case "integer[]" or "int4[]": return new("integer[]", "_int4");
        }

        var numeric = NumericPattern().Match(text);
        if (numeric.Success)
        {
            var precision = int.Parse(numeric.Groups[1].Value, CultureInfo.InvariantCulture);
            var scale = numeric.Groups[2].Success ? int.Parse(numeric.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            return precision is >= 1 and <= 1000 && scale <= precision ? Numeric(precision, scale) : null;
        }

        var varchar = VarcharPattern().Match(text);
        if (varchar.Success)
        {
            var length = long.Parse(varchar.Groups[1].Value, CultureInfo.InvariantCulture);
            return length is >= 1 and <= MaxVarcharLength ? new($"varchar({length})", "varchar") : null;
        }

        var temporal = TemporalPattern().Match(text);
        if (temporal.Success)
        {
            var kind = temporal.Groups[1].Value switch
            {
                "timestamp with time zone" or "timestamptz" => "timestamptz",
                "timestamp" or "timestamp without time zone" => "timestamp",
                _ => "time",
            };
            var digits = temporal.Groups[2].Success ? int.Parse(temporal.Groups[2].Value, CultureInfo.InvariantCulture) : 6;
            return Temporal(kind, digits);
        }

        return null;
    }

    public static PostgresTypeName Numeric(int precision, int scale) => new($"numeric({precision},{scale})", "numeric");

    /// <summary><c>time(p)</c>, <c>timestamp(p)</c> or <c>timestamptz(p)</c> with p at most 6, PostgreSQL's limit.</summary>
    public static PostgresTypeName Temporal(string kind, int fractionDigits) => new($"{kind}({Math.Clamp(fractionDigits, 0, 6)})", kind);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?:numeric|decimal) ?\( ?(\d{1,4}) ?(?:, ?(\d{1,4}) ?)?\)$")]
    private static partial Regex NumericPattern();

    [GeneratedRegex(@"^(?:varchar|character varying) ?\( ?(\d{1,9}) ?\)$")]
    private static partial Regex VarcharPattern();

    [GeneratedRegex(@"^(timestamptz|timestamp with time zone|timestamp without time zone|timestamp|time) ?(?:\( ?([0-6]) ?\))?$")]
    private static partial Regex TemporalPattern();
}
