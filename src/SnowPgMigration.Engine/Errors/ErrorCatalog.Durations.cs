namespace SnowPgMigration.Engine.Errors;

/// <summary>Durations written by people: command-line options and config keys (SFPG4600-4649).</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode DurationInvalid = new(
        "SFPG4600", ErrorKind.InvalidArgument,
        "A duration cannot be read",
        "Write the duration as a number with a unit - s, m, h or d, as in 45s, 30m, 12h, 7d or 1h30m - or as a bare number in the unit the option's help names.");
}
