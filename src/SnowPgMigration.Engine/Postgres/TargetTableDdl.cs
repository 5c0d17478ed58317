using System.Text;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>The DDL that creates or evolves a target table; every name goes through <see cref="PgIdentifier.Quote(string)"/>.</summary>
public static class TargetTableDdl
{
    /// <summary>The schema if missing, then the table: columns in source order, NOT NULL as the source says, a primary key over <paramref name="primaryKey"/>.</summary>
    public static IReadOnlyList<string> Create(string schema, string table, IReadOnlyList<TargetColumnDefinition> columns, IReadOnlyList<string> primaryKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(primaryKey);
        var body = new StringBuilder();
        body.Append("CREATE TABLE ").Append(PgIdentifier.Quote(schema, table)).Append(" (");
        var lines = columns.Select(c => "\n    " + PgIdentifier.Quote(c.Name) + " " + c.Type.Sql + (c.NotNull ? " NOT NULL" : "")).ToList();
        if (primaryKey.Count > 0)
        {
            lines.Add("\n    PRIMARY KEY (" + string.Join(", ", primaryKey.Select(PgIdentifier.Quote)) + ")");
        }

        body.Append(string.Join(",", lines)).Append("\n)");
        return [$"CREATE SCHEMA IF NOT EXISTS {PgIdentifier.Quote(schema)}", body.ToString()];
    }

    /// <summary>A source column the target lacks, always nullable: the rows already there have no value for it.</summary>
    public static string AddColumn(string schema, string table, TargetColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"ALTER TABLE {PgIdentifier.Quote(schema, table)} ADD COLUMN IF NOT EXISTS {PgIdentifier.Quote(column.Name)} {column.Type.Sql}";
    }

    /// <summary>A wider type for an existing column (longer varchar, more numeric digits); its values stay as they are.</summary>
    public static string Widen(string schema, string table, string column, PostgresTypeName type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return $"ALTER TABLE {PgIdentifier.Quote(schema, table)} ALTER COLUMN {PgIdentifier.Quote(column)} TYPE {type.Sql}";
    }

    /// <summary>Statements as a script to read or run with psql.</summary>
    public static string AsScript(IEnumerable<string> statements) => string.Concat(statements.Select(s => s + ";\n"));
}
