namespace SnowPgMigration.Engine.Status;

/// <summary>What a legacy relation is, for its rename statement.</summary>
public enum LegacyRelationKind
{
    Table,
    View,
    Index,
}
