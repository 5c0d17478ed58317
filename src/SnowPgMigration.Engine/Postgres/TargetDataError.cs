using System.Text.RegularExpressions;
using Npgsql;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Turns a PostgreSQL data error raised while loading a table into a catalogued error naming the table, the column
/// and an excerpt of the refused value, in place of the raw SQLSTATE text.
/// </summary>
/// <remarks>
/// The column and value come from the error's fields: <c>column_name</c>, the key in a unique violation's detail,
/// or the <c>COPY ..., line N, column C: "value"</c> context. Values are cut to a short excerpt; the row they
/// belong to is never echoed whole.
/// </remarks>
public static partial class TargetDataError
{
    private const int ExcerptLength = 60;

    /// <summary>The catalogued error for <paramref name="error"/>, or null when it is not a data error of a row.</summary>
    public static SfPgException? From(PostgresException error, string schema, string table)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (code, what) = error.SqlState switch
        {
            PostgresErrorCodes.NumericValueOutOfRange => (ErrorCatalog.TargetNumberOutOfRange, "number out of range"),
            PostgresErrorCodes.StringDataRightTruncation => (ErrorCatalog.TargetValueTooLong, "value too long"),
            PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter =>
                (ErrorCatalog.TargetTextInvalid, "text PostgreSQL cannot store"),
            PostgresErrorCodes.NotNullViolation => (ErrorCatalog.TargetNullNotAllowed, "NULL in a NOT NULL column"),
            PostgresErrorCodes.UniqueViolation => (ErrorCatalog.TargetDuplicateKey, $"duplicate key in unique index \"{error.ConstraintName}\""),
            PostgresErrorCodes.CheckViolation => (ErrorCatalog.TargetCheckViolation, $"row refused by CHECK constraint \"{error.ConstraintName}\""),
            _ => (null, null),
        };
        if (code is null)
        {
            return null;
        }

        var (column, value) = ColumnAndValue(error);
        var where = column is null ? "" : $", column {column}";
        var shown = value is null ? "" : $"; value {value}";
        return new SfPgException(
            code,
            // The code and its advice travel in the text: a chunk's status keeps only the message.
            $"Table {schema}.{table}{where}: {what}{shown} (PostgreSQL {error.SqlState}: {error.MessageText}). [{code.Code}: {code.RecommendedAction}]",
            target: column is null ? $"{schema}.{table}" : $"{schema}.{table}.{column.Trim('"')}",
            recommendedAction: null,
            error);
    }

    private static (string? Column, string? Value) ColumnAndValue(PostgresException error)
    {
        if (error.SqlState == PostgresErrorCodes.NotNullViolation)
        {
            return (Quoted(error.ColumnName), "NULL");
        }

        if (error.Detail is { } detail && KeyDetail().Match(detail) is { Success: true } key)
        {
            return (string.Join(", ", key.Groups["columns"].Value.Split(", ").Select(Quoted)), Excerpt(key.Groups["values"].Value));
        }

        if (error.Where is { } context && CopyContext().Match(context) is { Success: true } copy)
        {
            return (Quoted(copy.Groups["column"].Value), copy.Groups["value"].Success ? Excerpt(copy.Groups["value"].Value) : null);
        }

        return (Quoted(error.ColumnName), null);
    }

    private static string? Quoted(string? column) => string.IsNullOrEmpty(column) ? null : $"\"{column}\"";

    private static string Excerpt(string value) =>
        "'" + (value.Length > ExcerptLength ? value[..ExcerptLength] + "..." : value) + "'";

    [GeneratedRegex(@"^Key \((?<columns>.+?)\)=\((?<values>.*)\) already exists\.?$", RegexOptions.Singleline)]
    private static partial Regex KeyDetail();

    [GeneratedRegex(@"COPY [^,]+, line \d+, column (?<column>[^:\n]+)(: ""(?<value>.*)"")?", RegexOptions.Singleline)]
    private static partial Regex CopyContext();
}
