namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode TargetNumberOutOfRange = new(
        "SFPG2112", ErrorKind.InvalidData,
        "PostgreSQL refused a number too large for its column",
        "Widen the target column (e.g. bigint or numeric) or exclude the row with source_filter, then resume the run.");

    public static readonly ErrorCode TargetValueTooLong = new(
        "SFPG2113", ErrorKind.InvalidData,
        "PostgreSQL refused a value too long for its column",
        "Widen the target column (e.g. varchar(n) with a larger n, or text), then resume the run.");

    public static readonly ErrorCode TargetTextInvalid = new(
        "SFPG2114", ErrorKind.InvalidData,
        "PostgreSQL refused text it cannot store (a NUL byte or an invalid character)",
        "PostgreSQL text cannot hold a NUL byte: clean the value in Snowflake (e.g. REPLACE(col, CHR(0), '')), exclude the row with source_filter, or load the column into bytea; then resume the run.");

    public static readonly ErrorCode TargetNullNotAllowed = new(
        "SFPG2115", ErrorKind.InvalidData,
        "PostgreSQL refused NULL in a NOT NULL column",
        "Drop the column's NOT NULL constraint, give it a default and map no source column to it, or exclude the rows with source_filter; then resume the run.");

    public static readonly ErrorCode TargetDuplicateKey = new(
        "SFPG2116", ErrorKind.InvalidData,
        "PostgreSQL refused a row whose key is already in a unique index",
        "If the source really repeats the key, set uniqueness_columns to that key so rows are upserted, or drop the target's unique index; if the target already held the rows, load it with truncate_onstart. Then resume the run.");

    public static readonly ErrorCode TargetCheckViolation = new(
        "SFPG2117", ErrorKind.InvalidData,
        "PostgreSQL refused a row its CHECK constraint rejects",
        "Relax or drop the target's CHECK constraint, or exclude the rows with source_filter; then resume the run.");
}
