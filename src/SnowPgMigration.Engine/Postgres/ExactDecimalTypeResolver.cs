#pragma warning disable NPG9001 // Npgsql's type-resolver API is marked experimental; see ExactDecimalConverter.
using Npgsql.Internal;
using Npgsql.Internal.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>Teaches a data source to write <see cref="ExactDecimal"/> as numeric; every other type is left to Npgsql.</summary>
internal sealed class ExactDecimalTypeResolver : PgTypeInfoResolverFactory, IPgTypeInfoResolver
{
    private static readonly DataTypeName Numeric = new("pg_catalog.numeric");

    public override IPgTypeInfoResolver CreateResolver() => this;

    public override IPgTypeInfoResolver? CreateArrayResolver() => null;

    public PgTypeInfo? GetTypeInfo(Type? type, DataTypeName? dataTypeName, PgSerializerOptions options)
    {
        if (type != typeof(ExactDecimal) || (dataTypeName is { } name && name != Numeric))
        {
            return null;
        }

        // numeric's own type id as this data source spells it (an OID, or a name when ids are portable).
        var numericId = options.GetDefaultTypeInfo(typeof(decimal))?.PgTypeId ?? throw new InvalidOperationException("Npgsql maps no numeric type for decimal.");
        return new PgTypeInfo(options, new ExactDecimalConverter(), numericId);
    }
}
