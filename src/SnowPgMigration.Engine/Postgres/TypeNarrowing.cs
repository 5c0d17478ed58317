using Microsoft.Extensions.Logging;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>One target column that cannot hold every value its source column can.</summary>
public sealed record ColumnNarrowing(string Table, string Column, string SourceType, string TargetType, string Reason)
{
    public override string ToString() => $"column \"{Column}\": {SourceType} -> {TargetType} ({Reason})";
}

/// <summary>
/// Compares declared types before anything is written: a target narrower than its source
/// (numeric(10,2) for NUMBER(38,3), real for FLOAT, varchar(10) for longer text) would round or cut
/// values, some of them silently in PostgreSQL. Refused unless the table allows lossy conversion.
/// </summary>
public static class TypeNarrowing
{
    private const int RealDigits = 6;
    private const int DoubleDigits = 15;

    // The length Snowflake reports for VARCHAR declared without one; such a column has no declared width to compare.
    private const long UndeclaredTextLength = 16_777_216;

    /// <summary>
    /// The narrowed columns of <paramref name="pairs"/>; throws SFPG2110 naming each of them unless
    /// <paramref name="allowLossy"/>.
    /// </summary>
    public static IReadOnlyList<ColumnNarrowing> Check(
        string table,
        IReadOnlyList<SnowflakeColumn> sourceColumns,
        IReadOnlyList<TargetColumn> targetColumns,
        IReadOnlyList<(string Source, int SourceIndex, string Target)> pairs,
        bool allowLossy)
    {
        ArgumentNullException.ThrowIfNull(sourceColumns);
        ArgumentNullException.ThrowIfNull(targetColumns);
        ArgumentNullException.ThrowIfNull(pairs);
        var narrowed = new List<ColumnNarrowing>();
        foreach (var (sourceName, _, targetName) in pairs)
        {
            var source = sourceColumns.FirstOrDefault(c => c.Name == sourceName);
            var target = targetColumns.FirstOrDefault(c => c.Name == targetName);
            if (source is not null && target is not null && Reason(source, target) is { } reason)
            {
                narrowed.Add(new ColumnNarrowing(table, target.Name, source.SqlTypeName, target.DisplayType, reason));
            }
        }

        if (narrowed.Count > 0 && !allowLossy)
        {
            throw new SfPgException(
                ErrorCatalog.TargetColumnNarrower,
                $"Table {table}: the target is narrower than the source in {string.Join("; ", narrowed)}. Nothing was written.",
                target: table,
                recommendedAction: null);
        }

        return narrowed;
    }

    /// <summary>One warning per narrowed column of a table that allows lossy conversion.</summary>
    public static void Warn(IReadOnlyList<ColumnNarrowing> narrowed, IEngineReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(narrowed);
        ArgumentNullException.ThrowIfNull(reporter);
        var logger = reporter.LoggerFactory.CreateLogger(typeof(TypeNarrowing));
        foreach (var column in narrowed)
        {
            EngineLog.LossyConversionAllowed(logger, column.Table, column.ToString());
        }
    }

    /// <summary>Why <paramref name="target"/> cannot hold every value of <paramref name="source"/>, or null when it can.</summary>
    public static string? Reason(SnowflakeColumn source, TargetColumn target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var limits = TargetTypeLimits.Of(target);
        return source.Type switch
        {
            SnowflakeDataType.Fixed => FromNumber(source.Precision ?? 38, source.Scale ?? 0, target.TypeName, limits),
            SnowflakeDataType.Real => FromFloat(target.TypeName, limits),
            SnowflakeDataType.Text when limits.Length is { } length && source.Length is { } sourceLength
                                        && sourceLength != UndeclaredTextLength && length < sourceLength =>
                $"holds {length} of up to {sourceLength} characters",
            _ => null,
        };
    }

    /// <remarks>
    /// Integer capacity is not compared: Snowflake declares every integer column NUMBER(38,0), and a
    /// value too large for bigint or numeric(p,s) fails loudly per value (SFPG2101, SFPG2111).
    /// Lost fraction digits and float precision are what PostgreSQL would round away silently.
    /// </remarks>
    private static string? FromNumber(int precision, int scale, string targetType, TargetTypeLimits limits) => targetType switch
    {
        "numeric" when limits.Scale is { } s && s < scale => $"keeps {s} of {scale} fraction digits",
        "int2" or "int4" or "int8" when scale > 0 => "drops the fraction digits",
        "float4" when precision > RealDigits => $"keeps about {RealDigits} of {precision} significant digits",
        "float8" when precision > DoubleDigits => $"keeps about {DoubleDigits} of {precision} significant digits",
        _ => null,
    };

    private static string? FromFloat(string targetType, TargetTypeLimits limits) => targetType switch
    {
        "float4" => "real keeps a single-precision float, FLOAT is double precision",
        "numeric" when limits.Precision is not null => "numeric(p,s) rounds double-precision values",
        "int2" or "int4" or "int8" => "drops the fraction",
        _ => null,
    };
}
