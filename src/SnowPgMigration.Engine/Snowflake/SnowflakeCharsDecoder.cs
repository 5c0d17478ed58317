namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Decodes one value from its SQL API wire characters; throws <see cref="FormatException"/> on text it cannot read.</summary>
internal delegate object SnowflakeCharsDecoder(ReadOnlySpan<char> text);
