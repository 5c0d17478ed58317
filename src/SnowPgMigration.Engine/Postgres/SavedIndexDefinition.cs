using Npgsql;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Checks a definition read back from <c>migration_index_backup</c> before it is executed (invariant 8): it
/// must be the one statement <see cref="TargetIndexes.ReadAsync"/> writes for that object of that table,
/// so an edited row cannot run other SQL or build something else.
/// </summary>
internal static class SavedIndexDefinition
{
    /// <summary>Null when the definition has the shape this tool saves; otherwise what is wrong with it.</summary>
    public static async Task<string?> ProblemAsync(NpgsqlConnection connection, IndexDefinition definition, CancellationToken cancellationToken)
    {
        var text = definition.Definition;
        string[] prefixes;
        if (definition.Kind == IndexObjectKind.Index)
        {
            // pg_get_indexdef's own quoting (quote_ident), with the table always schema-qualified.
            using var command = new NpgsqlCommand("SELECT quote_ident($1), quote_ident($2) || '.' || quote_ident($3)", connection);
            command.Parameters.AddWithValue(definition.Name);
            command.Parameters.AddWithValue(definition.TargetSchema);
            command.Parameters.AddWithValue(definition.Table);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var name = reader.GetString(0);
                var table = reader.GetString(1);
                prefixes = [$"CREATE INDEX {name} ON {table} USING ", $"CREATE UNIQUE INDEX {name} ON {table} USING "];
            }
        }
        else
        {
            var keyword = definition.Kind switch
            {
                IndexObjectKind.PrimaryKey => "PRIMARY KEY ",
                IndexObjectKind.Unique => "UNIQUE ",
                IndexObjectKind.ForeignKey => "FOREIGN KEY ",
                IndexObjectKind.Exclusion => "EXCLUDE ",
                _ => null,
            };
            if (keyword is null)
            {
                return $"a saved {StatusText.ToText(definition.Kind)} is not something this tool drops";
            }

            prefixes = [$"ALTER TABLE {PgIdentifier.Quote(definition.TargetSchema, definition.Table)} ADD CONSTRAINT {PgIdentifier.Quote(definition.Name)} {keyword}"];
        }

        var prefix = prefixes.FirstOrDefault(p => text.StartsWith(p, StringComparison.Ordinal));
        if (prefix is null)
        {
            return $"the saved definition does not start with \"{prefixes[0]}\", as the one this tool saves does; it was not executed";
        }

        return HasStatementBreak(text.AsSpan(prefix.Length))
            ? "the saved definition holds more than one statement or a comment; it was not executed"
            : null;
    }

    /// <summary>
    /// A semicolon or comment outside quoted literals and identifiers, or quoting this scan cannot follow
    /// (backslash escapes, dollar quotes), which is refused rather than guessed at.
    /// </summary>
    private static bool HasStatementBreak(ReadOnlySpan<char> sql)
    {
        char? quote = null;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '\\')
            {
                return true;
            }

            if (quote is { } open)
            {
                if (c == open)
                {
                    // A doubled quote is an escaped one and stays inside.
                    if (i + 1 < sql.Length && sql[i + 1] == open)
                    {
                        i++;
                    }
                    else
                    {
                        quote = null;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case ';':
                case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                case '$' when i == 0 || !(char.IsLetterOrDigit(sql[i - 1]) || sql[i - 1] is '_' or '$'):
                    return true;
            }
        }

        return quote is not null;
    }
}
