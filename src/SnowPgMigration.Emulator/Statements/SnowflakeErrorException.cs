namespace SnowPgMigration.Emulator.Statements;

/// <summary>Ends a statement with a Snowflake error decided before or outside PostgreSQL.</summary>
internal sealed class SnowflakeErrorException(SnowflakeError error) : Exception(error.Message)
{
    public SnowflakeError Error { get; } = error;
}
