#Requires -Version 7.4
<#
.SYNOPSIS
    Builds SnowPgMigration, runs its tests and assembles the module in out/SnowPgMigration/.

.DESCRIPTION
    1. Builds the solution.
    2. Assembles the module folder (cmdlets at the root, engine and packages in Dependencies/,
       manifest, format data and help) with 'dotnet publish'.
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

    dotnet publish src/SnowPgMigration.PowerShell -c $Configuration "-p:ModuleOutputDir=$OutputPath"
    if ($LASTEXITCODE) { throw "Assembling the module failed ($LASTEXITCODE)." }

    if ($Test) {
        if ($IsLinux) { bash ./test.sh }
        else { dotnet test SnowPgMigration.sln -c $Configuration }
        if ($LASTEXITCODE) { throw "Tests failed ($LASTEXITCODE)." }

        if (Get-Module -ListAvailable Pester | Where-Object Version -GE '5.0') {
            # A fresh process, so the module is imported the way users import it.
            pwsh -NoProfile -Command "Import-Module Pester -MinimumVersion 5.0; `$env:SFPG_MODULE_PATH = '$OutputPath'; `$r = Invoke-Pester -Path tests/Pester -Output Detailed -PassThru; exit `$r.FailedCount"
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
