namespace SnowPgMigration.Engine.Config;

/// <summary>
/// A relationship declared on a table in the config (<c>references[]</c>): rows of this table whose
/// <see cref="Columns"/> hold a key of <see cref="Table"/>'s <see cref="ReferencedColumns"/>. It is checked on the
/// target like a foreign key (Test-SfPgIntegrity, <c>sfpg integrity</c>) and never changes how rows load.
/// </summary>
/// <remarks>Every name is a PostgreSQL name, case kept, as <c>uniqueness_columns</c> is.</remarks>
public sealed record TableReference
{
    /// <summary>This table's target columns, in the order of <see cref="ReferencedColumns"/>.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>The referenced table's target name (resolved from the table's target or source name as written).</summary>
    public required string Table { get; init; }

    /// <summary>The referenced table's columns; the referenced table's <c>uniqueness_columns</c> when not written.</summary>
    public IReadOnlyList<string> ReferencedColumns { get; init; } = [];

    /// <summary>A label for reports; null when the config gives none.</summary>
    public string? Name { get; init; }

    /// <summary>The JSON path it was written at, e.g. <c>sources[0].tables[2].references[0]</c>.</summary>
    public string Path { get; init; } = "";
}
