using System.Reflection;

namespace SnowPgMigration.Engine.Errors;

/// <summary>
/// The catalogue of every error the engine reports. Each concern adds its range in its own
/// partial file (<c>ErrorCatalog.Config.cs</c>, <c>ErrorCatalog.Snowflake.cs</c>, ...).
/// </summary>
public static partial class ErrorCatalog
{
    private static readonly Lazy<IReadOnlyList<ErrorCode>> AllCodes = new(() =>
        typeof(ErrorCatalog)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!)
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .ToList());

    /// <summary>Every code in the catalogue, ordered by code.</summary>
    public static IReadOnlyList<ErrorCode> All => AllCodes.Value;

    /// <summary>Finds a code by its identifier, e.g. <c>SFPG1001</c>.</summary>
    public static ErrorCode? Find(string code) =>
        All.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase));
}
