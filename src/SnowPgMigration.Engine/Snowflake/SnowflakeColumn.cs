namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// One column of a result, from the first response's <c>rowType</c>. A zero-row query still has
/// its columns, so <c>SELECT * ... LIMIT 0</c> describes a table.
/// </summary>
/// <remarks>
/// What <see cref="SnowflakeResult.ReadRowsAsync"/> yields per type (NULL is always null):
/// <list type="bullet">
/// <item>FIXED with scale 0: <see cref="long"/>; a value beyond int64 is a <see cref="decimal"/>,
/// and beyond decimal's range (up to 38 digits) a <see cref="System.Numerics.BigInteger"/>.</item>
/// <item>FIXED with scale &gt; 0: <see cref="decimal"/>; a value with more significant digits than
/// decimal holds exactly (over 28) is an <see cref="ExactDecimal"/>, never rounded.</item>
/// <item>REAL: <see cref="double"/> (NaN and infinities included). BOOLEAN: <see cref="bool"/>.
/// TEXT: <see cref="string"/>. BINARY: <see cref="byte"/>[].</item>
/// <item>DATE: <see cref="DateOnly"/>. TIME: <see cref="TimeOnly"/>. TIMESTAMP_NTZ: <see cref="DateTime"/>
/// of kind Unspecified (the wall clock). TIMESTAMP_LTZ: <see cref="DateTime"/> of kind Utc (the instant).
/// TIMESTAMP_TZ: <see cref="DateTimeOffset"/> with the stored offset.
/// Fractions beyond 100 ns (.NET's tick) are truncated.</item>
/// <item>VARIANT, OBJECT, ARRAY, GEOGRAPHY, GEOMETRY, VECTOR: JSON text (<see cref="string"/>),
/// with Snowflake's <c>undefined</c> array elements written as <c>null</c>.</item>
/// </list>
/// </remarks>
public sealed record SnowflakeColumn
{
    /// <summary>Position in the row, from 0.</summary>
    public required int Ordinal { get; init; }

    /// <summary>The column name as Snowflake reports it (upper case unless quoted when created).</summary>
    public required string Name { get; init; }

    public required SnowflakeDataType Type { get; init; }

    /// <summary>The type as sent, e.g. <c>fixed</c> or <c>timestamp_tz</c>.</summary>
    public required string TypeName { get; init; }

    /// <summary><c>GEOGRAPHY</c> or <c>GEOMETRY</c> for those types (sent as <c>object</c>); otherwise null.</summary>
    public string? ExtendedTypeName { get; init; }

    /// <summary>
    /// A VECTOR's element type (<see cref="SnowflakeDataType.Fixed"/> for INT, <see cref="SnowflakeDataType.Real"/> for
    /// FLOAT) from <c>DESCRIBE TABLE</c>, since the SQL API's rowType says only <c>vector</c>; null when not known.
    /// </summary>
    public SnowflakeDataType? VectorElement { get; init; }

    /// <summary>A VECTOR's number of elements, from <c>DESCRIBE TABLE</c> as <see cref="VectorElement"/>; null when not known.</summary>
    public int? VectorDimension { get; init; }

    public int? Precision { get; init; }

    /// <summary>Digits after the point for FIXED; fractional-second digits for TIME and TIMESTAMP_*.</summary>
    public int? Scale { get; init; }

    /// <summary>Maximum length in characters (TEXT) or bytes (BINARY).</summary>
    public long? Length { get; init; }

    public long? ByteLength { get; init; }

    public bool Nullable { get; init; } = true;

    /// <summary>Source database, schema and table; empty for computed columns.</summary>
    public string? Database { get; init; }

    public string? Schema { get; init; }

    public string? Table { get; init; }

    /// <summary>The Snowflake SQL type this column would be declared as, e.g. <c>NUMBER(10,2)</c>.</summary>
    public string SqlTypeName => Type switch
    {
        SnowflakeDataType.Fixed => $"NUMBER({Precision ?? 38},{Scale ?? 0})",
        SnowflakeDataType.Real => "FLOAT",
        SnowflakeDataType.Text => Length is { } n ? $"VARCHAR({n})" : "VARCHAR",
        SnowflakeDataType.Binary => Length is { } b ? $"BINARY({b})" : "BINARY",
        SnowflakeDataType.Boolean => "BOOLEAN",
        SnowflakeDataType.Date => "DATE",
        SnowflakeDataType.Time => $"TIME({Scale ?? 9})",
        SnowflakeDataType.TimestampNtz => $"TIMESTAMP_NTZ({Scale ?? 9})",
        SnowflakeDataType.TimestampLtz => $"TIMESTAMP_LTZ({Scale ?? 9})",
        SnowflakeDataType.TimestampTz => $"TIMESTAMP_TZ({Scale ?? 9})",
        SnowflakeDataType.Variant => "VARIANT",
        SnowflakeDataType.Object => ExtendedTypeName ?? "OBJECT",
        SnowflakeDataType.Array => "ARRAY",
        SnowflakeDataType.Vector when VectorElement is { } element =>
            $"VECTOR({(element == SnowflakeDataType.Fixed ? "INT" : "FLOAT")}, {VectorDimension?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})",
        SnowflakeDataType.Vector => "VECTOR",
        _ => TypeName.ToUpperInvariant(),
    };

    internal static SnowflakeDataType ParseType(string? typeName) => typeName?.ToLowerInvariant() switch
    {
        "fixed" => SnowflakeDataType.Fixed,
        "real" => SnowflakeDataType.Real,
        "text" => SnowflakeDataType.Text,
        "binary" => SnowflakeDataType.Binary,
        "boolean" => SnowflakeDataType.Boolean,
        "date" => SnowflakeDataType.Date,
        "time" => SnowflakeDataType.Time,
        "timestamp_ntz" => SnowflakeDataType.TimestampNtz,
        "timestamp_ltz" => SnowflakeDataType.TimestampLtz,
        "timestamp_tz" => SnowflakeDataType.TimestampTz,
        "variant" => SnowflakeDataType.Variant,
        "object" => SnowflakeDataType.Object,
        "array" => SnowflakeDataType.Array,
        "vector" => SnowflakeDataType.Vector,
        _ => SnowflakeDataType.Unknown,
    };
}
