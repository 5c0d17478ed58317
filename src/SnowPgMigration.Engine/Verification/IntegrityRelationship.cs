namespace SnowPgMigration.Engine.Verification;

/// <summary>A foreign key to check for orphans: declared in the target (pg_constraint) or in the config (<c>references</c>).</summary>
internal sealed record IntegrityRelationship(
    string Name,
    string DeclaredIn,
    IReadOnlyList<string> Columns,
    string ReferencedSchema,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns)
{
    public const string InTarget = "target";
    public const string InConfig = "config";

    public string Describe(string table) =>
        $"{table}({string.Join(", ", Columns)}) -> {ReferencedTable}({string.Join(", ", ReferencedColumns)})";
}
