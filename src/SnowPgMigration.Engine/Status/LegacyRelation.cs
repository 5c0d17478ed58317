namespace SnowPgMigration.Engine.Status;

/// <summary>One relation of the older tool's status layout and the name it is kept under after the upgrade.</summary>
public sealed record LegacyRelation(string Name, LegacyRelationKind Kind, string LegacyName);
