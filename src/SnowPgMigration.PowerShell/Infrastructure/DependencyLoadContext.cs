using System.Reflection;
using System.Runtime.Loader;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// The private load context that holds the engine and its packages (Npgsql, Polly, logging),
/// loaded from the module's <c>Dependencies</c> folder. Another module's copies of the same assemblies
/// load beside these, in their own context, and neither replaces the other's. Process-wide state is still
/// shared: AppContext switches (the engine's <c>NpgsqlSwitches</c> sets and restores the one it needs).
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    public const string EngineAssemblyName = "SnowPgMigration.Engine";

    private readonly string _dependencyDirectory;

    public DependencyLoadContext(string dependencyDirectory)
        : base(nameof(DependencyLoadContext))
    {
        _dependencyDirectory = dependencyDirectory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        // Framework assemblies are not in the folder: null lets them come from the shared framework.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
