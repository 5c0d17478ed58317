namespace SnowPgMigration.Engine.Snowflake;

/// <summary>A table's stored (normalised) database, schema and table names.</summary>
public sealed record SnowflakeTableName(string Database, string Schema, string Table)
{
    /// <summary>Normalises each part as Snowflake does (see <see cref="SnowflakeIdentifier.Normalize"/>).</summary>
    public static SnowflakeTableName FromWritten(string database, string schema, string table) =>
        new(SnowflakeIdentifier.Normalize(database), SnowflakeIdentifier.Normalize(schema), SnowflakeIdentifier.Normalize(table));

    /// <summary><c>"DB"."SCHEMA"."TABLE"</c>.</summary>
    public string Quoted => SnowflakeIdentifier.Quote(Database, Schema, Table);

    public override string ToString() => Database + "." + Schema + "." + Table;
}
