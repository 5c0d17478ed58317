namespace SnowPgMigration.Engine.Verification;

/// <summary>What one integrity finding counts on a target table.</summary>
public enum IntegrityCheck
{
    /// <summary>Rows whose <c>uniqueness_columns</c> value occurs more than once (rows with a NULL key column excluded).</summary>
    DuplicateKeys,

    /// <summary>Rows with at least one <c>uniqueness_columns</c> column NULL.</summary>
    NullKeys,

    /// <summary>Rows of an incremental table whose <c>target_watermark</c> is NULL.</summary>
    NullWatermarks,

    /// <summary>Rows whose foreign key (declared in the target, or in the config's <c>references</c>) matches no referenced row.</summary>
    OrphanedForeignKeys,
}

/// <summary>The names checks have in output and JSON: <c>duplicate_keys</c>, <c>null_keys</c>, ...</summary>
public static class IntegrityCheckNames
{
    public static string ToName(IntegrityCheck check) => check switch
    {
        IntegrityCheck.DuplicateKeys => "duplicate_keys",
        IntegrityCheck.NullKeys => "null_keys",
        IntegrityCheck.NullWatermarks => "null_watermarks",
        IntegrityCheck.OrphanedForeignKeys => "orphaned_foreign_keys",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, null),
    };
}
