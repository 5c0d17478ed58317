using System.Text.Json;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// The shipped sfpg carries no test infrastructure: the emulator (and with it the ASP.NET Core runtime), the
/// sandbox, the throwaway PostgreSQL cluster and the Azurite launcher are in sfpg-sandbox, never in sfpg or the engine.
/// </summary>
public sealed class ShippedCliTests
{
    private static readonly string[] TestInfrastructure =
        ["SnowPgMigration.Emulator", "SnowPgMigration.LocalPostgres", "SnowPgMigration.LocalAzurite", "SnowPgMigration.Sandbox", "sfpg-sandbox", "Microsoft.AspNetCore"];

    private static string Built(string file) => Path.Combine(Path.GetDirectoryName(SfpgProcess.DllPath)!, file);

    [Fact]
    public void Sfpg_needs_only_the_NET_runtime_not_ASP_NET_Core()
    {
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Built("sfpg.runtimeconfig.json")));
        var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var list)
            ? list.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList()
            : [options.GetProperty("framework").GetProperty("name").GetString()];

        frameworks.Should().Equal(["Microsoft.NETCore.App"], "sfpg runs wherever the .NET runtime alone is installed");
    }

    [Fact]
    public void Sfpg_depends_on_no_emulator_sandbox_or_local_cluster_and_its_folder_holds_none()
    {
        var dependencies = File.ReadAllText(Built("sfpg.deps.json"));
        var files = Directory.GetFiles(Path.GetDirectoryName(SfpgProcess.DllPath)!).Select(Path.GetFileName).ToList();

        foreach (var name in TestInfrastructure)
        {
            dependencies.Should().NotContain(name, "sfpg.deps.json lists what sfpg loads");
            files.Should().NotContain(f => f!.StartsWith(name, StringComparison.OrdinalIgnoreCase), "sfpg's folder is what ships");
        }
    }

    [Fact]
    public void The_engine_that_sfpg_and_the_module_ship_defines_no_cluster_or_emulator_management()
    {
        var engineTypes = typeof(Engine.Errors.ErrorCatalog).Assembly.GetTypes().Select(t => t.Name).ToList();

        engineTypes.Should().NotContain("LocalPostgresCluster", "starting PostgreSQL clusters is test infrastructure, in SnowPgMigration.LocalPostgres");
        engineTypes.Should().NotContain("AzuriteServer", "starting the Azure Storage emulator is test infrastructure, in SnowPgMigration.LocalAzurite");
    }
}
