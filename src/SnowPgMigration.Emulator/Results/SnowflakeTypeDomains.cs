using System.Globalization;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Emulator.Results;

/// <summary>
/// PostgreSQL domains named after the Snowflake types PostgreSQL has no single type for. A backing table whose
/// column is declared with one of them is described with that Snowflake type and its values are encoded as the
/// SQL API encodes it; a plain PostgreSQL type keeps its usual mapping (<c>jsonb</c> is VARIANT,
/// <c>timestamptz</c> TIMESTAMP_TZ at the session's offset).
/// </summary>
/// <remarks>
/// TIMESTAMP_TZ is stored as ISO text with its own offset (<c>2026-10-09 12:34:56.123456789+07:00</c>), because
/// <c>timestamptz</c> keeps only the instant; such a column orders and compares as text, so chunk and watermark on
/// another column. A VECTOR has a domain per element type and dimension (<see cref="CreateVectorSql"/>):
/// <c>"VECTOR_FLOAT_3"</c> over <c>real[]</c> is VECTOR(FLOAT, 3), <c>"VECTOR_INT_3"</c> over <c>integer[]</c> VECTOR(INT, 3);
/// not named <c>VECTOR(FLOAT, 3)</c> itself, because Npgsql reads a parenthesis in a type name as its modifier.
/// Create the domains in a source database before the emulator first reads it: a connection learns the database's
/// types once.
/// </remarks>
public static partial class SnowflakeTypeDomains
{
    /// <summary>Creates the domains in the current schema of the connection's search path, once.</summary>
    public const string CreateSql = """
        DO $domains$
        BEGIN
          IF to_regtype('"VARIANT"') IS NULL THEN CREATE DOMAIN "VARIANT" AS jsonb; END IF;
          IF to_regtype('"OBJECT"') IS NULL THEN
            CREATE DOMAIN "OBJECT" AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');
          END IF;
          IF to_regtype('"ARRAY"') IS NULL THEN
            CREATE DOMAIN "ARRAY" AS jsonb CHECK (jsonb_typeof(VALUE) = 'array');
          END IF;
          IF to_regtype('"GEOGRAPHY"') IS NULL THEN
            CREATE DOMAIN "GEOGRAPHY" AS jsonb CHECK (jsonb_typeof(VALUE) = 'object' AND VALUE ? 'type');
          END IF;
          IF to_regtype('"GEOMETRY"') IS NULL THEN
            CREATE DOMAIN "GEOMETRY" AS jsonb CHECK (jsonb_typeof(VALUE) = 'object' AND VALUE ? 'type');
          END IF;
          IF to_regtype('"TIMESTAMP_NTZ"') IS NULL THEN CREATE DOMAIN "TIMESTAMP_NTZ" AS timestamp; END IF;
          IF to_regtype('"TIMESTAMP_LTZ"') IS NULL THEN CREATE DOMAIN "TIMESTAMP_LTZ" AS timestamptz; END IF;
          IF to_regtype('"TIMESTAMP_TZ"') IS NULL THEN
            CREATE DOMAIN "TIMESTAMP_TZ" AS text
              CHECK (VALUE ~ '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})?[+-]\d\d(:\d\d)?$');
          END IF;
        END
        $domains$;
        """;

    /// <summary>
    /// Creates the domain of <c>VECTOR(<paramref name="element"/>, <paramref name="dimension"/>)</c> (element FLOAT or INT)
    /// in the current schema, once: exactly <paramref name="dimension"/> elements, none of them NULL, as Snowflake holds them.
    /// </summary>
    public static string CreateVectorSql(string element, int dimension)
    {
        var baseType = element?.ToUpperInvariant() switch
        {
            "FLOAT" => "real[]",
            "INT" => "integer[]",
            _ => throw new ArgumentException($"A VECTOR's element type is FLOAT or INT, not '{element}'.", nameof(element)),
        };
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var name = string.Create(CultureInfo.InvariantCulture, $"VECTOR_{element!.ToUpperInvariant()}_{dimension}");
        return $$"""
            DO $domain$
            BEGIN
              IF to_regtype('"{{name}}"') IS NULL THEN
                CREATE DOMAIN "{{name}}" AS {{baseType}}
                  CHECK (array_ndims(VALUE) = 1 AND cardinality(VALUE) = {{dimension}} AND array_position(VALUE, NULL) IS NULL);
              END IF;
            END
            $domain$;
            """;
    }

    /// <summary>The element kind and dimension of a VECTOR domain such as <c>VECTOR_FLOAT_3</c>; null for any other name.</summary>
    internal static (ValueKind Element, int Dimension)? VectorOf(string domainName)
    {
        var match = VectorDomain().Match(domainName);
        return match.Success
            ? (match.Groups["element"].Value == "INT" ? ValueKind.Fixed : ValueKind.Real, int.Parse(match.Groups["dimension"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>Snowflake's spelling, as DESCRIBE TABLE shows it.</summary>
    internal static string VectorTypeName(string element, int dimension) =>
        string.Create(CultureInfo.InvariantCulture, $"VECTOR({element}, {dimension})");

    [GeneratedRegex(@"^VECTOR_(?<element>FLOAT|INT)_(?<dimension>[1-9]\d{0,8})$")]
    private static partial Regex VectorDomain();

    /// <summary>The Snowflake type a domain stands for, or null when the domain is not one of these.</summary>
    internal static string? SnowflakeTypeOf(string domainName)
    {
        var name = domainName;
        var dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            name = name[(dot + 1)..];
        }

        name = name.Trim('"').ToUpperInvariant();
        return VectorOf(name) is not null || name is "VARIANT" or "OBJECT" or "ARRAY" or "GEOGRAPHY" or "GEOMETRY" or "TIMESTAMP_NTZ" or "TIMESTAMP_LTZ" or "TIMESTAMP_TZ"
            ? name
            : null;
    }
}
