namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode PlanningTooManyGroupedValues = new(
        "SFPG4101", ErrorKind.InvalidArgument,
        "Too many distinct values for grouped-values chunking",
        "Let the planner choose a strategy, or chunk by another column.");

    public static readonly ErrorCode PlanningOffsetNeedsOrder = new(
        "SFPG4102", ErrorKind.InvalidArgument,
        "Offset chunking needs a deterministic order",
        "Add uniqueness_columns to the table's config.");
}
