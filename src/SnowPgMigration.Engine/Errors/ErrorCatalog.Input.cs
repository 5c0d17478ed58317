namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode CliNumberOutOfRange = new(
        "SFPG1051", ErrorKind.InvalidArgument,
        "A command-line number is out of range",
        "Give the option a value within the limits the message names (see sfpg <command> --help for what each option means).");
}
