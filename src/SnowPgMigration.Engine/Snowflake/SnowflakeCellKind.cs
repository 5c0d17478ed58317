namespace SnowPgMigration.Engine.Snowflake;

/// <summary>What one cell of a <see cref="SnowflakeRow"/> holds, and so which of its accessors reads it.</summary>
internal enum SnowflakeCellKind : byte
{
    Null,

    /// <summary>FIXED with scale 0 within int64: <see cref="SnowflakeRow.Integer"/>.</summary>
    Integer,

    /// <summary>FIXED with scale &gt; 0 that <see cref="decimal"/> holds exactly: <see cref="SnowflakeRow.Decimal"/>.</summary>
    Decimal,

    /// <summary>REAL: <see cref="SnowflakeRow.Double"/>.</summary>
    Double,

    /// <summary>BOOLEAN: <see cref="SnowflakeRow.Boolean"/>.</summary>
    Boolean,

    /// <summary>DATE: <see cref="SnowflakeRow.DayNumber"/>.</summary>
    Date,

    /// <summary>TIMESTAMP_NTZ, a wall clock: <see cref="SnowflakeRow.Ticks"/>.</summary>
    TimestampNtz,

    /// <summary>TIMESTAMP_LTZ, an instant: <see cref="SnowflakeRow.Ticks"/> (UTC).</summary>
    TimestampLtz,

    /// <summary>TIMESTAMP_TZ: <see cref="SnowflakeRow.Ticks"/> (UTC) and <see cref="SnowflakeRow.OffsetMinutes"/>.</summary>
    TimestampTz,

    /// <summary>Text without escapes: <see cref="SnowflakeRow.Utf8"/>, the bytes of the partition itself.</summary>
    Text,

    /// <summary>Any other value, already a .NET object: <see cref="SnowflakeRow.Object"/>.</summary>
    Object,
}
