using System.Management.Automation;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Test-SfPgConfig: every problem of a config file in one pass (with -Connect, of the servers too), or $true/$false with -Quiet.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SfPgConfig")]
[OutputType(typeof(SfPgConfigFinding))]
[OutputType(typeof(bool))]
public sealed class TestSfPgConfigCommand : SfPgCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ConfigPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SourceNameCompleter))]
    public string? Source { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EnvFile { get; set; }

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    [Parameter]
    public SwitchParameter Connect { get; set; }

    protected override void ProcessRecord()
    {
        var result = Check(ResolvePath(Path)!, Source, ResolvePath(EnvFile));
        if (Connect)
        {
            result = RunEngine((_, cancellationToken) => ConnectionCheck.AddToAsync(result, Source, snowflakeOptions: null, cancellationToken));
        }

        if (Quiet)
        {
            WriteObject(result.IsValid);
            return;
        }

        foreach (var finding in result.Findings)
        {
            WriteObject(SfPgConfigFinding.From(finding));
        }

        WriteVerbose(ConfigReport.Summary(result));
    }

    internal static ConfigLoadResult Check(string path, string? source, string? envFile) =>
        ConfigLoader.Load(path, new ConfigLoadOptions { SourceName = source, EnvFilePath = envFile, CheckPrivateKey = true });
}
