namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode TargetColumnNarrower = new(
        "SFPG2110", ErrorKind.InvalidData,
        "A target column is narrower than its source column",
        "Widen the target column (the message names table, column, source type and target type), or set \"allow_lossy_conversion\": true on the table to accept rounded or cut values.");

    public static readonly ErrorCode ValueDoesNotFitTarget = new(
        "SFPG2111", ErrorKind.InvalidData,
        "A source value does not fit its target column exactly",
        "Widen the target column so the value (named in the message) fits, or set \"allow_lossy_conversion\": true on the table to accept rounded or cut values.");
}
