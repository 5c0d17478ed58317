using System.Diagnostics.CodeAnalysis;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>The SQL API's <c>rowType[].type</c> values (sent lower case, compared case-insensitively).</summary>
public enum SnowflakeDataType
{
    /// <summary>A type this client does not know; values are passed through as text.</summary>
    Unknown,
    Fixed,
    Real,
    Text,
    Binary,
    Boolean,
    Date,
    Time,
    TimestampNtz,
    TimestampLtz,
    TimestampTz,
    Variant,
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Snowflake's own type name.")]
    Object,
    Array,
    Vector,
}
