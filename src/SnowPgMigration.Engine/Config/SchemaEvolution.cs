namespace SnowPgMigration.Engine.Config;

/// <summary>What a run may change in an existing target table before loading (<c>schema_evolution</c>). Nothing is ever dropped, renamed or rewritten.</summary>
public enum SchemaEvolution
{
    /// <summary>Leave the table as it is; source columns it lacks are skipped with a warning.</summary>
    None,

    /// <summary>Add each source column the target lacks, nullable.</summary>
    AddColumns,

    /// <summary>Add columns, and widen varchar lengths and numeric precision to the source's.</summary>
    Widen,
}

/// <summary>The config names of <see cref="SchemaEvolution"/>.</summary>
public static class SchemaEvolutionNames
{
    public static string ToName(this SchemaEvolution evolution) => evolution switch
    {
        SchemaEvolution.AddColumns => "add_columns",
        SchemaEvolution.Widen => "widen",
        _ => "none",
    };

    public static SchemaEvolution? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "add_columns" => SchemaEvolution.AddColumns,
        "widen" => SchemaEvolution.Widen,
        "none" => SchemaEvolution.None,
        _ => null,
    };
}
