#Requires -Version 7.4
<#
.SYNOPSIS
    Builds SnowPgMigration, runs its tests and assembles the module in out/SnowPgMigration/.

.DESCRIPTION
    1. Builds the solution.
    2. Assembles the module folder (cmdlets at the root, engine and packages in Dependencies/,
       manifest, format data and help) with 'dotnet publish'. Help comes from docs/ (platyPS markdown):
       platyPS's New-ExternalHelp when platyPS is installed, else the project's own converter.
    3. With -Package: writes <OutputPath>.zip (out/SnowPgMigration.zip), the module folder as Azure
       Automation imports it: zip, folder and manifest all named SnowPgMigration, under 100 MB.
    4. With -Test: runs test.sh (PostgreSQL where it is missing, pwsh and Pester from NuGet, the
       xunit suites, then every Pester test against the assembled module in a fresh pwsh).

.EXAMPLE
    ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Test,

    # Also writes the zip Azure Automation imports: <OutputPath>.zip holding the module folder.
    [switch] $Package,

    # Packages the module already assembled in -OutputPath instead of building it.
    [switch] $NoBuild,

    [string] $OutputPath = (Join-Path $PSScriptRoot 'out' 'SnowPgMigration')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    if (-not $NoBuild) {
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
    }

    if ($Package) {
        # Azure Automation imports a zip whose folder and manifest carry the module's name.
        $name = Split-Path $OutputPath -Leaf
        if ($name -ne 'SnowPgMigration') { throw "The module folder must be named SnowPgMigration for Azure Automation, not '$name'." }
        $zip = "$($OutputPath.TrimEnd('/', '\')).zip"
        Remove-Item $zip -ErrorAction SilentlyContinue
        Compress-Archive -Path $OutputPath -DestinationPath $zip
        $size = (Get-Item $zip).Length
        if ($size -ge 100MB) { throw "The package $zip is $([math]::Round($size / 1MB)) MB; Azure Automation takes at most 100 MB." }
        Write-Host ('Package for Azure Automation: {0} ({1:N1} MB)' -f $zip, ($size / 1MB))
    }

    if ($Test) {
        if ($IsLinux) { bash ./test.sh }
        else { dotnet test SnowPgMigration.sln -c $Configuration }
        if ($LASTEXITCODE) { throw "Tests failed ($LASTEXITCODE)." }

        if (-not $IsLinux) {
            # test.sh runs the Pester suite on Linux; elsewhere run it here, in a fresh pwsh, the same way.
            dotnet tool restore
            dotnet restore tests/Pester/Tools/PesterPackage.csproj
            $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
            pwsh -NoProfile -NonInteractive -File tests/Pester/Invoke-ModuleTests.ps1 -PesterPath (Join-Path $packages 'pester' '5.9.1' 'tools') -ModulePath $OutputPath
            if ($LASTEXITCODE) { throw "Pester tests failed ($LASTEXITCODE)." }
        }
    }

    Write-Host "Module ready: Import-Module '$OutputPath'"
}
finally {
    Pop-Location
}
