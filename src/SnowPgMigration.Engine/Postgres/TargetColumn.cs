namespace SnowPgMigration.Engine.Postgres;

/// <summary>A column of the target table as PostgreSQL describes it.</summary>
/// <param name="Name">Name, case kept.</param>
/// <param name="TypeName">Base type name from pg_type (<c>int8</c>, <c>numeric</c>, <c>timestamptz</c>, <c>_int4</c>...).</param>
/// <param name="DisplayType">The declared type as SQL writes it (<c>numeric(18,2)</c>, <c>character varying(50)</c>).</param>
/// <param name="IsWritable">False for generated columns, which COPY must leave out.</param>
public sealed record TargetColumn(string Name, string TypeName, string DisplayType, bool NotNull, bool IsWritable);
