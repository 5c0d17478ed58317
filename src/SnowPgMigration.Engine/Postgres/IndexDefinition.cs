namespace SnowPgMigration.Engine.Postgres;

/// <summary>An index or constraint of a target table, with the DDL that recreates it.</summary>
/// <param name="Kind"><c>index</c>, <c>primary_key</c>, <c>unique</c>, <c>foreign_key</c> or <c>exclusion</c>.</param>
public sealed record IndexDefinition(string Schema, string Table, string Name, string Kind, string CreateSql)
{
    public bool IsConstraint => Kind != "index";

    public string DropSql => IsConstraint
        ? $"ALTER TABLE {PgIdentifier.Quote(Schema, Table)} DROP CONSTRAINT IF EXISTS {PgIdentifier.Quote(Name)}"
        : $"DROP INDEX IF EXISTS {PgIdentifier.Quote(Schema, Name)}";
}
