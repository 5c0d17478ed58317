using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Reads a table's <c>references</c> block and, once every table of the source is bound, resolves each
/// referenced table and defaults its columns to that table's <c>uniqueness_columns</c>.
/// </summary>
/// <example><c>"references": [ { "columns": ["customer_id"], "table": "customers", "referenced_columns": ["id"] } ]</c></example>
internal static class TableReferenceBinder
{
    public const string Key = "references";

    public static readonly IReadOnlyCollection<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "columns", "table", "referenced_columns",
    };

    /// <summary>The references as written; their tables are resolved by <see cref="Resolve"/>.</summary>
    public static List<TableReference> Read(ConfigDocumentReader reader, ConfigObject table)
    {
        var references = new List<TableReference>();
        var elements = table.Array(Key, required: false);
        for (var i = 0; i < (elements?.Count ?? 0); i++)
        {
            var path = ConfigDocumentReader.Item(table.PathOf(Key), i);
            var entry = reader.AsObject(elements![i], path, Keys);
            if (entry is null)
            {
                continue;
            }

            var columns = Columns(reader, entry, "columns");
            var referenced = entry.String("table", required: true)?.Trim();
            var referencedColumns = Columns(reader, entry, "referenced_columns");
            var name = entry.String("name");
            if (columns.Count == 0 && entry.ArrayLength("columns") == 0)
            {
                reader.Error(
                    ErrorCatalog.ConfigMissingRequired,
                    entry.PathOf("columns"),
                    "a reference needs 'columns': this table's target columns that hold the referenced key.",
                    "Write the columns, e.g. \"columns\": [\"customer_id\"].");
            }

            if (columns.Count == 0 || string.IsNullOrEmpty(referenced))
            {
                continue;
            }

            references.Add(new TableReference
            {
                Columns = columns,
                Table = referenced,
                ReferencedColumns = referencedColumns,
                Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
                Path = path,
            });
        }

        return references;
    }

    /// <summary>
    /// Each reference's table matched to a table of the same source (by target name, else by source or target
    /// name ignoring case) and its referenced columns checked or defaulted; unresolvable ones are reported and dropped.
    /// </summary>
    public static List<(int Index, TableConfig Table)> Resolve(ConfigDocumentReader reader, List<(int Index, TableConfig Table)> tables)
    {
        var resolvedTables = new List<(int Index, TableConfig Table)>(tables.Count);
        foreach (var (index, table) in tables)
        {
            if (table.References.Count == 0)
            {
                resolvedTables.Add((index, table));
                continue;
            }

            var resolved = new List<TableReference>();
            foreach (var reference in table.References)
            {
                var match = Find(tables, reference.Table);
                if (match is null)
                {
                    reader.Error(
                        ErrorCatalog.ConfigReferenceTableUnknown,
                        ConfigDocumentReader.Child(reference.Path, "table"),
                        $"table '{table.Target}' references '{reference.Table}', which is not a table of this source (its tables: {string.Join(", ", tables.Select(t => t.Table.Target))}).");
                    continue;
                }

                var referencedColumns = reference.ReferencedColumns.Count > 0 ? reference.ReferencedColumns : match.UniquenessColumns;
                if (referencedColumns.Count == 0)
                {
                    reader.Error(
                        ErrorCatalog.ConfigReferenceColumnsMismatch,
                        ConfigDocumentReader.Child(reference.Path, "referenced_columns"),
                        $"table '{table.Target}' references '{match.Target}' without referenced_columns, and '{match.Target}' has no uniqueness_columns to default to.");
                    continue;
                }

                if (referencedColumns.Count != reference.Columns.Count)
                {
                    reader.Error(
                        ErrorCatalog.ConfigReferenceColumnsMismatch,
                        ConfigDocumentReader.Child(reference.Path, reference.ReferencedColumns.Count > 0 ? "referenced_columns" : "columns"),
                        $"table '{table.Target}' references '{match.Target}' with {reference.Columns.Count} column(s) ({string.Join(", ", reference.Columns)}) "
                        + $"but {referencedColumns.Count} referenced column(s) ({string.Join(", ", referencedColumns)}"
                        + (reference.ReferencedColumns.Count > 0 ? ")." : $", the uniqueness_columns of '{match.Target}')."));
                    continue;
                }

                resolved.Add(reference with { Table = match.Target, ReferencedColumns = referencedColumns });
            }

            resolvedTables.Add((index, table with { References = resolved }));
        }

        return resolvedTables;
    }

    private static TableConfig? Find(List<(int Index, TableConfig Table)> tables, string name) =>
        tables.Select(t => t.Table).FirstOrDefault(t => t.Target == name)
        ?? tables.Select(t => t.Table).FirstOrDefault(t =>
            string.Equals(t.Target, name, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Source, name, StringComparison.OrdinalIgnoreCase));

    private static List<string> Columns(ConfigDocumentReader reader, ConfigObject entry, string key)
    {
        var columns = entry.StringList(key)?.Select(c => c.Trim()).ToList() ?? [];
        for (var i = 0; i < columns.Count; i++)
        {
            TableBinder.CheckPostgresNameLength(reader, columns[i], ConfigDocumentReader.Item(entry.PathOf(key), i), "column");
        }

        foreach (var duplicate in columns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(
                ErrorCatalog.ConfigDuplicateColumn,
                ConfigDocumentReader.Item(entry.PathOf(key), columns.LastIndexOf(duplicate.Key)),
                $"column '{duplicate.Key}' is listed more than once.");
        }

        return columns;
    }
}
