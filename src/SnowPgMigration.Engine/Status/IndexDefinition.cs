namespace SnowPgMigration.Engine.Status;

/// <summary>An index or constraint definition to save before it is dropped.</summary>
public sealed record IndexDefinition(string TargetSchema, string Table, IndexObjectKind Kind, string Name, string Definition);
