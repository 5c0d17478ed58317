using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>One column of a target table the tool creates or adds: its name, its type and where it comes from.</summary>
public sealed record TargetColumnDefinition(string Name, PostgresTypeName Type, bool NotNull, SnowflakeColumn Source)
{
    /// <summary>True for a TIMESTAMP_TZ column's offset companion (<see cref="TimezoneOffsetColumn"/>), filled from the same source column.</summary>
    public bool IsOffsetCompanion { get; init; }

    public TargetColumn AsColumn() => Type.AsColumn(Name, NotNull);
}

/// <summary>
/// The lossless type contract: the PostgreSQL type each Snowflake type is created as. NUMBER(p,s) is numeric(p,s)
/// exactly (never a native integer, which only a <c>column_types</c> override chooses), FLOAT double precision,
/// TIME/TIMESTAMP keep their fraction digits up to PostgreSQL's six, semi-structured values are jsonb.
/// </summary>
public static class TargetTypeContract
{
    /// <summary>PostgreSQL keeps times and timestamps to the microsecond.</summary>
    private const int MicrosecondDigits = 6;

    /// <summary>The contract's type for one source column, in a target database with <paramref name="extensions"/> (none when null).</summary>
    public static PostgresTypeName TypeFor(SnowflakeColumn source, TargetExtensions? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Type switch
        {
            SnowflakeDataType.Fixed => PostgresTypeName.Numeric(source.Precision ?? 38, source.Scale ?? 0),
            SnowflakeDataType.Real => new("double precision", "float8"),
            SnowflakeDataType.Text when source.Length is { } n && n <= PostgresTypeName.MaxVarcharLength => new($"varchar({n})", "varchar"),
            SnowflakeDataType.Binary => new("bytea", "bytea"),
            SnowflakeDataType.Boolean => new("boolean", "bool"),
            SnowflakeDataType.Date => new("date", "date"),
            SnowflakeDataType.Time => PostgresTypeName.Temporal("time", source.Scale ?? 9),
            SnowflakeDataType.TimestampNtz => PostgresTypeName.Temporal("timestamp", source.Scale ?? 9),
            SnowflakeDataType.TimestampLtz or SnowflakeDataType.TimestampTz => PostgresTypeName.Temporal("timestamptz", source.Scale ?? 9),
            // Without PostGIS, text holds the GeoJSON exactly; PostGIS's geography is WGS 84, as Snowflake's GEOGRAPHY.
            SnowflakeDataType.Object when source.ExtendedTypeName is "GEOGRAPHY" && extensions is { PostGis: true } => new("geography", "geography"),
            SnowflakeDataType.Object when source.ExtendedTypeName is "GEOMETRY" && extensions is { PostGis: true } => new("geometry", "geometry"),
            SnowflakeDataType.Object when source.ExtendedTypeName is not null => new("text", "text"),
            SnowflakeDataType.Variant or SnowflakeDataType.Object or SnowflakeDataType.Array => new("jsonb", "jsonb"),
            // Snowflake's VECTOR elements are 32-bit floats or integers. Where DESCRIBE TABLE did not say which (a query
            // column), double precision holds both exactly.
            SnowflakeDataType.Vector when source.VectorElement == SnowflakeDataType.Real => new("real[]", "_float4"),
            SnowflakeDataType.Vector when source.VectorElement == SnowflakeDataType.Fixed => new("integer[]", "_int4"),
            SnowflakeDataType.Vector => new("double precision[]", "_float8"),
            _ => new("text", "text"),
        };
    }

    /// <summary>
    /// The target columns for <paramref name="sources"/>: named through <c>column_mapping</c>, typed by the contract or by
    /// <c>column_types</c>. Refuses an override of an unknown column (SFPG2131), a time kept to fewer fraction digits
    /// than the source has without <c>truncate_nanoseconds</c> (SFPG2130), and any other narrowing through the one
    /// narrowing check (SFPG2110) unless the table allows lossy conversion.
    /// </summary>
    public static IReadOnlyList<TargetColumnDefinition> Define(
        string table,
        IReadOnlyList<SnowflakeColumn> sources,
        TableConfig config,
        TargetExtensions extensions,
        IReadOnlyList<SnowflakeColumn>? allSources = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(config);
        var known = allSources ?? sources;
        var unknown = config.ColumnTypes.Keys.Where(k => !known.Any(s => s.Name == k)).ToList();
        if (unknown.Count > 0)
        {
            throw new SfPgException(
                ErrorCatalog.ColumnTypeOverrideUnknownColumn,
                $"Table {table}: column_types names {string.Join(", ", unknown.Select(u => $"\"{u}\""))}, which the source has not (its columns: {string.Join(", ", known.Select(s => s.Name))}).",
                target: table,
                recommendedAction: null);
        }

        var definitions = sources.Select(source => new TargetColumnDefinition(
            config.ColumnMapping.TryGetValue(source.Name, out var mapped) ? mapped : source.Name,
            config.ColumnTypes.TryGetValue(source.Name, out var written) ? PostgresTypeName.Parse(written)! : TypeFor(source, extensions),
            !source.Nullable,
            source)).ToList();

        var cut = definitions.Where(d => LosesFractionDigits(d.Source, d.Type)).ToList();
        if (cut.Count > 0 && !config.TruncateNanoseconds)
        {
            throw new SfPgException(
                ErrorCatalog.SubMicrosecondPrecision,
                $"Table {table}: {string.Join("; ", cut.Select(d => $"column \"{d.Name}\" is {d.Source.SqlTypeName}, {d.Type.Sql} keeps {MicrosecondDigits} fraction digits"))}. Nothing was created.",
                target: table,
                recommendedAction: null);
        }

        TypeNarrowing.Check(
            table,
            sources,
            definitions.Select(d => d.AsColumn()).ToList(),
            definitions.Select((d, i) => (d.Source.Name, i, d.Name)).ToList(),
            config.AllowLossyConversion);
        return config.KeepTimezoneOffset ? WithOffsetCompanions(definitions) : definitions;
    }

    private static List<TargetColumnDefinition> WithOffsetCompanions(List<TargetColumnDefinition> definitions)
    {
        var withCompanions = new List<TargetColumnDefinition>();
        foreach (var definition in definitions)
        {
            withCompanions.Add(definition);
            if (definition.Source.Type == SnowflakeDataType.TimestampTz && definition.Type.InternalName == "timestamptz")
            {
                withCompanions.Add(new TargetColumnDefinition(TimezoneOffsetColumn.NameFor(definition.Name), TimezoneOffsetColumn.Type, definition.NotNull, definition.Source)
                {
                    IsOffsetCompanion = true,
                });
            }
        }

        return withCompanions;
    }

    /// <summary>Whether <paramref name="type"/> keeps fewer fraction digits of a time or timestamp than the source declares.</summary>
    public static bool LosesFractionDigits(SnowflakeColumn source, PostgresTypeName type)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(type);
        var temporal = source.Type is SnowflakeDataType.Time or SnowflakeDataType.TimestampNtz or SnowflakeDataType.TimestampLtz or SnowflakeDataType.TimestampTz;
        return temporal && (source.Scale ?? 9) > MicrosecondDigits && type.InternalName is "time" or "timestamp" or "timestamptz";
    }
}
