namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// The companion of a TIMESTAMP_TZ column (<c>keep_tz_offset</c>): timestamptz keeps only the instant, so the
/// original offset, in minutes east of UTC, goes into <c>&lt;column&gt;_offset</c> (<c>smallint</c>) beside it.
/// </summary>
public static class TimezoneOffsetColumn
{
    public const string Suffix = "_offset";

    public static string NameFor(string timestampColumn) => timestampColumn + Suffix;

    public static PostgresTypeName Type { get; } = new("smallint", "int2");
}
