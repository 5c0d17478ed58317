using Npgsql.PostgresTypes;
using Npgsql.Schema;

namespace SnowPgMigration.Emulator.Results;

/// <summary>
/// Derives Snowflake's <c>rowType</c> from PostgreSQL column metadata, with the field values the live
/// service reports (integers are NUMBER(38,0), unsized table strings 16,777,216 characters, computed
/// strings 128 MB, binary 8 MB, times and timestamps scale 9).
/// </summary>
internal static class ColumnTypeMapper
{
    public const long DefaultTextLength = 16_777_216;
    public const long ComputedTextLength = 134_217_728;
    public const long BinaryLength = 8_388_608;

    public static ResultColumn Map(NpgsqlDbColumn column, string database)
    {
        var fromTable = !string.IsNullOrEmpty(column.BaseTableName);
        var type = column.PostgresType is PostgresDomainType domain ? domain.BaseType : column.PostgresType;
        var internalName = type?.InternalName ?? "text";
        var name = column.ColumnName;
        var nullable = column.AllowDBNull ?? true;
        string db = fromTable ? database : "", schema = fromTable ? column.BaseSchemaName ?? "" : "", table = fromTable ? column.BaseTableName! : "";

        ResultColumn Make(string snowflakeType, ValueKind kind, int? precision = null, int? scale = null, long? length = null, long? byteLength = null, ValueKind element = ValueKind.Text, string? extTypeName = null, int? vectorDimension = null) =>
            new()
            {
                Name = name, Database = db, Schema = schema, Table = table, Nullable = nullable,
                Type = snowflakeType, Kind = kind, Precision = precision, Scale = scale,
                Length = length, ByteLength = byteLength, ElementKind = element, ExtTypeName = extTypeName, VectorDimension = vectorDimension,
            };

        if (column.PostgresType is PostgresDomainType named && SnowflakeTypeDomains.SnowflakeTypeOf(named.Name) is { } snowflakeTypeName)
        {
            // Snowflake declares these without a fraction-digit count as scale 9; geography travels as "object".
            return snowflakeTypeName switch
            {
                "VARIANT" => Make("variant", ValueKind.Variant),
                "OBJECT" => Make("object", ValueKind.Variant),
                "ARRAY" => Make("array", ValueKind.Variant),
                "GEOGRAPHY" or "GEOMETRY" => Make("object", ValueKind.Variant, extTypeName: snowflakeTypeName),
                // As Snowflake's SQL API, the rowType says only "vector"; DESCRIBE TABLE gives the element type and dimension.
                _ when SnowflakeTypeDomains.VectorOf(snowflakeTypeName) is { } vector =>
                    Make("vector", ValueKind.Vector, element: vector.Element, vectorDimension: vector.Dimension),
                "TIMESTAMP_NTZ" => Make("timestamp_ntz", ValueKind.TimestampNtz, 0, 9),
                "TIMESTAMP_LTZ" => Make("timestamp_ltz", ValueKind.TimestampLtz, 0, 9),
                _ => Make("timestamp_tz", ValueKind.TimestampTzText, 0, 9),
            };
        }

        if (type is PostgresArrayType array)
        {
            return Make("array", ValueKind.Array, element: ElementKindOf(array.Element.InternalName));
        }

        switch (internalName)
        {
            case "int2" or "int4" or "int8" or "oid":
                return Make("fixed", ValueKind.Fixed, 38, 0);
            case "numeric":
                return column.NumericPrecision is { } precision
                    ? Make("fixed", ValueKind.Fixed, precision, column.NumericScale ?? 0)
                    : Make("fixed", ValueKind.FixedUnconstrained, 38, 0);
            case "float4" or "float8":
                return Make("real", ValueKind.Real);
            case "bool":
                return Make("boolean", ValueKind.Boolean);
            case "bytea":
                return Make("binary", ValueKind.Binary, length: BinaryLength, byteLength: BinaryLength);
            case "date":
                return Make("date", ValueKind.Date);
            case "time":
                return Make("time", ValueKind.Time, 0, 9);
            case "timetz":
                return Make("time", ValueKind.TimeWithZone, 0, 9);
            case "timestamp":
                return Make("timestamp_ntz", ValueKind.TimestampNtz, 0, 9);
            case "timestamptz":
                return Make("timestamp_tz", ValueKind.TimestampTz, 0, 9);
            case "json" or "jsonb":
                return Make("variant", ValueKind.Variant);
            case "uuid":
                return Make("text", ValueKind.Text, length: 36, byteLength: 144);
            default:
                if (column.ColumnSize is > 0 and var size && internalName is "varchar" or "bpchar")
                {
                    return Make("text", ValueKind.Text, length: size, byteLength: Math.Min(4L * size, 4 * DefaultTextLength));
                }

                return fromTable
                    ? Make("text", ValueKind.Text, length: DefaultTextLength, byteLength: 4 * DefaultTextLength)
                    : Make("text", ValueKind.Text, length: ComputedTextLength, byteLength: ComputedTextLength);
        }
    }

    private static ValueKind ElementKindOf(string elementType) => elementType switch
    {
        "int2" or "int4" or "int8" or "oid" or "numeric" or "float4" or "float8" => ValueKind.Fixed,
        "bool" => ValueKind.Boolean,
        "json" or "jsonb" => ValueKind.Variant,
        _ => ValueKind.Text,
    };
}
