using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// Runs when PowerShell imports the module: routes the engine assembly, and only it, to the
/// private <see cref="DependencyLoadContext"/>; everything the engine needs then resolves there.
/// Remove-Module unhooks the resolver again.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    private static readonly Lazy<DependencyLoadContext> Dependencies =
        new(() => new DependencyLoadContext(Path.Combine(ModuleDirectory, "Dependencies")));

    public void OnImport()
    {
        // Once per process, however often the module is imported again.
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == DependencyLoadContext.EngineAssemblyName && Directory.Exists(Path.Combine(ModuleDirectory, "Dependencies"))
            ? Dependencies.Value.LoadFromAssemblyName(name)
            : null;
}
