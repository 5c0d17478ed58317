namespace SnowPgMigration.Engine.Planning;

/// <summary>Quotes Snowflake identifiers for planning SQL.</summary>
internal static class SourceIdentifier
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
