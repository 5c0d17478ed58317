namespace SnowPgMigration.Emulator.Results;

/// <summary>One <c>rowType</c> entry of a result, as Snowflake describes a column, and how its values are encoded.</summary>
internal sealed class ResultColumn
{
    public required string Name { get; init; }
    public string Database { get; init; } = "";
    public string Schema { get; init; } = "";
    public string Table { get; init; } = "";
    public int? Precision { get; init; }

    /// <summary>Mutable only for unconstrained numerics, whose scale is the widest one seen in the data.</summary>
    public int? Scale { get; set; }
    public bool Nullable { get; init; } = true;
    public long? ByteLength { get; init; }
    public long? Length { get; init; }

    /// <summary>Snowflake's type name, lower case as the live service sends it (<c>fixed</c>, <c>text</c>, ...).</summary>
    public required string Type { get; init; }

    public required ValueKind Kind { get; init; }

    /// <summary><c>GEOGRAPHY</c> or <c>GEOMETRY</c>, sent as <c>extTypeName</c> beside <c>type: "object"</c>; otherwise null.</summary>
    public string? ExtTypeName { get; init; }

    /// <summary>For arrays: how their elements are written in JSON.</summary>
    public ValueKind ElementKind { get; init; } = ValueKind.Text;

    /// <summary>A VECTOR's number of elements: shown by DESCRIBE TABLE, never sent in the rowType (the live service does not).</summary>
    public int? VectorDimension { get; init; }
}

/// <summary>How a PostgreSQL text value is turned into Snowflake's wire string.</summary>
internal enum ValueKind
{
    Fixed,
    FixedUnconstrained,
    Real,
    Text,
    Binary,
    Boolean,
    Date,
    Time,
    TimeWithZone,
    TimestampNtz,
    TimestampTz,

    /// <summary>An instant: epoch seconds without an offset.</summary>
    TimestampLtz,

    /// <summary>TIMESTAMP_TZ stored as ISO text with its own offset (see <see cref="SnowflakeTypeDomains"/>).</summary>
    TimestampTzText,
    Variant,
    Array,

    /// <summary>VECTOR: <c>[1.000000,2.000000]</c> for FLOAT elements, <c>[1,2]</c> for INT.</summary>
    Vector,
}
