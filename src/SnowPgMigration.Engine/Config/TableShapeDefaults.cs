namespace SnowPgMigration.Engine.Config;

/// <summary>The root's <c>create_target</c> and <c>schema_evolution</c>, which tables that do not set their own inherit.</summary>
internal sealed record TableShapeDefaults(bool CreateTarget, SchemaEvolution SchemaEvolution)
{
    public static readonly TableShapeDefaults None = new(false, SchemaEvolution.None);
}
