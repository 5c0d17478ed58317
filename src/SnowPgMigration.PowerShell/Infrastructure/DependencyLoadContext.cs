using System.Reflection;
using System.Runtime.Loader;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// The private load context that holds the engine and its packages (Npgsql, Polly, logging),
/// loaded from the module's <c>Dependencies</c> folder. Other modules that ship their own Npgsql
/// cannot break us, nor we them.
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
