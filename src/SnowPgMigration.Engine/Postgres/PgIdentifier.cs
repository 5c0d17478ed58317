namespace SnowPgMigration.Engine.Postgres;

/// <summary>PostgreSQL identifier quoting: the one place a PostgreSQL name becomes SQL text.</summary>
public static class PgIdentifier
{
    /// <summary>Quotes one identifier, keeping its case: <c>Payer Id</c> becomes <c>"Payer Id"</c>.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Quotes a schema-qualified name.</summary>
    public static string Quote(string schema, string name) => Quote(schema) + "." + Quote(name);
}
