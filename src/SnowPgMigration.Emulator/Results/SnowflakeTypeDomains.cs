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
/// another column. VECTOR holds FLOAT elements (<c>real[]</c>) and VECTOR_INT INT elements (<c>integer[]</c>).
/// Create the domains in a source database before the emulator first reads it: a connection learns the database's
/// types once.
/// </remarks>
public static class SnowflakeTypeDomains
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
          IF to_regtype('"VECTOR"') IS NULL THEN CREATE DOMAIN "VECTOR" AS real[]; END IF;
          IF to_regtype('"VECTOR_INT"') IS NULL THEN CREATE DOMAIN "VECTOR_INT" AS integer[]; END IF;
          IF to_regtype('"TIMESTAMP_NTZ"') IS NULL THEN CREATE DOMAIN "TIMESTAMP_NTZ" AS timestamp; END IF;
          IF to_regtype('"TIMESTAMP_LTZ"') IS NULL THEN CREATE DOMAIN "TIMESTAMP_LTZ" AS timestamptz; END IF;
          IF to_regtype('"TIMESTAMP_TZ"') IS NULL THEN
            CREATE DOMAIN "TIMESTAMP_TZ" AS text
              CHECK (VALUE ~ '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})?[+-]\d\d(:\d\d)?$');
          END IF;
        END
        $domains$;
        """;

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
        return name is "VARIANT" or "OBJECT" or "ARRAY" or "GEOGRAPHY" or "GEOMETRY" or "VECTOR" or "VECTOR_INT"
            or "TIMESTAMP_NTZ" or "TIMESTAMP_LTZ" or "TIMESTAMP_TZ"
            ? name
            : null;
    }
}
