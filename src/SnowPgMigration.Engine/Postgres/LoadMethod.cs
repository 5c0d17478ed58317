namespace SnowPgMigration.Engine.Postgres;

/// <summary>How a table's chunks are written into PostgreSQL; decided once per table, before any worker starts.</summary>
public enum LoadMethod
{
    /// <summary>Binary COPY straight into the table: an empty or truncated target.</summary>
    Copy,

    /// <summary>Binary COPY into a staging table, then INSERT ... ON CONFLICT DO UPDATE where the incoming row is newer.</summary>
    Upsert,

    /// <summary>Binary COPY into a staging table, then INSERT ... ON CONFLICT DO NOTHING.</summary>
    InsertOnly,
}

public static class LoadMethodNames
{
    public static string ToName(this LoadMethod method) => method switch
    {
        LoadMethod.Copy => "copy",
        LoadMethod.Upsert => "upsert",
        LoadMethod.InsertOnly => "insert_only",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}
