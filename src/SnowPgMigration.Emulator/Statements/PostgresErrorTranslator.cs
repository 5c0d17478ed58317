using System.Globalization;
using Npgsql;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// Maps a PostgreSQL error to the Snowflake code and SQL state a client would see from Snowflake for
/// the same mistake (missing object 002003/42S02, syntax error 001003/42000, division by zero
/// 100051/22012, ...). The PostgreSQL text follows in brackets so emulator users see the real cause.
/// </summary>
internal static class PostgresErrorTranslator
{
    public static SnowflakeError Translate(PostgresException error)
    {
        var detail = $" [PostgreSQL {error.SqlState}: {error.MessageText}]";
        return error.SqlState switch
        {
            "42P01" or "3F000" or "42704" or "3D000" =>
                new(422, "002003", $"SQL compilation error:\nObject '{QuotedName(error.MessageText)}' does not exist or not authorized.{detail}", "42S02"),
            "42703" =>
                new(422, "000904", $"SQL compilation error: error line {Line(error)} at position {Position(error)}\ninvalid identifier '{QuotedName(error.MessageText)}'{detail}", "42000"),
            "42601" =>
                new(422, "001003", $"SQL compilation error:\nsyntax error line {Line(error)} at position {Position(error)} unexpected '{QuotedName(error.MessageText)}'.{detail}", "42000"),
            "42883" =>
                new(422, "002140", $"SQL compilation error:\nUnknown function{detail}", "42601"),
            // The emulator reads only: its role has no write or superuser rights, and runs in read-only transactions.
            "42501" or "25006" =>
                new(422, "003001", $"SQL access control error:\nInsufficient privileges to operate on the object.{detail} [the emulator only reads; write test data in PostgreSQL directly]", "42501"),
            "22012" =>
                new(422, "100051", "Division by zero" + detail, "22012"),
            "22P02" or "22003" or "22007" or "22008" =>
                new(422, "100038", $"Numeric value is not recognized{detail}", "22018"),
            "23505" or "23502" or "23503" or "23514" =>
                new(422, "100072", $"NULL result in a non-nullable column or constraint violated{detail}", "22000"),
            "57014" =>
                SnowflakeError.Canceled,
            _ when error.SqlState.StartsWith("42", StringComparison.Ordinal) =>
                new(422, "002000", $"SQL compilation error:{detail}", "42000"),
            _ =>
                new(422, "100000", $"SQL execution error:{detail}", error.SqlState),
        };
    }

    private static string QuotedName(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        return end > start ? message[(start + 1)..end] : "";
    }

    private static int Line(PostgresException error) => 1 + (error.Position > 0 && error.BatchCommand?.CommandText is { } sql
        ? sql.AsSpan(0, Math.Min(error.Position - 1, sql.Length)).Count('\n')
        : 0);

    private static string Position(PostgresException error) =>
        Math.Max(0, error.Position - 1).ToString(CultureInfo.InvariantCulture);
}
