#Requires -Version 7.4
<#
.SYNOPSIS
    Builds SnowPgMigration, runs its tests and assembles the module in out/SnowPgMigration/.

.DESCRIPTION
    1. Builds the solution.
    2. Assembles the module folder (cmdlets at the root, engine and packages in Dependencies/,
       manifest, format data and help) with 'dotnet publish'. Help comes from docs/ (platyPS markdown):
       platyPS's New-ExternalHelp when platyPS is installed, else the project's own converter.
    3. With -Test: runs the xunit suites (test.sh installs PostgreSQL where it is missing), then
       the Pester tests against the assembled module in a fresh pwsh, when Pester 5 is installed.

.EXAMPLE
    ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Test,

    [string] $OutputPath = (Join-Path $PSScriptRoot 'out' 'SnowPgMigration')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    dotnet build SnowPgMigration.sln -c $Configuration
    if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }

    # Help: platyPS turns docs/ into MAML when it is installed; otherwise the project's own converter
    # (tools/SnowPgMigration.HelpBuilder) does it as part of the publish.
    $platyPS = Get-Module -ListAvailable platyPS | Sort-Object Version -Descending | Select-Object -First 1
    dotnet publish src/SnowPgMigration.PowerShell -c $Configuration "-p:ModuleOutputDir=$OutputPath" "-p:SkipModuleHelp=$([bool]$platyPS)"
    if ($LASTEXITCODE) { throw "Assembling the module failed ($LASTEXITCODE)." }
    if ($platyPS) {
        Import-Module $platyPS
        $helpPath = Join-Path $OutputPath 'en-US'
        New-ExternalHelp -Path (Join-Path $PSScriptRoot 'docs' 'cmdlets') -OutputPath $helpPath -Force | Out-Null
        New-ExternalHelp -Path (Join-Path $PSScriptRoot 'docs' 'about_SnowPgMigration.md') -OutputPath $helpPath -Force | Out-Null
        Write-Host "Help built with platyPS $($platyPS.Version) in $helpPath"
    }

    if ($Test) {
        if ($IsLinux) { bash ./test.sh }
        else { dotnet test SnowPgMigration.sln -c $Configuration }
        if ($LASTEXITCODE) { throw "Tests failed ($LASTEXITCODE)." }

        if (Get-Module -ListAvailable Pester | Where-Object Version -GE '5.0') {
            # A fresh process, so the module is imported the way users import it.
            pwsh -NoProfile -NonInteractive -Command "Import-Module Pester -MinimumVersion 5.0; `$env:SFPG_MODULE_PATH = '$OutputPath'; `$r = Invoke-Pester -Path tests/Pester -Output Detailed -PassThru; exit `$r.FailedCount"
            if ($LASTEXITCODE) { throw "Pester tests failed ($LASTEXITCODE)." }
        }
        else {
            Write-Warning 'Pester 5 is not installed; the module tests in tests/Pester were skipped.'
        }
    }

    Write-Host "Module ready: Import-Module '$OutputPath'"
}
finally {
    Pop-Location
}
