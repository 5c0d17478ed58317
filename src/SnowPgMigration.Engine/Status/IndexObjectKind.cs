namespace SnowPgMigration.Engine.Status;

/// <summary>What a saved definition in <c>migration_index_backup</c> recreates.</summary>
public enum IndexObjectKind
{
    Index,
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclusion,
}
