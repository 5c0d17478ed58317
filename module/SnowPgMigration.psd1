@{
    RootModule           = 'SnowPgMigration.PowerShell.dll'
    # Stamped with <Version> of Directory.Build.props when the module is assembled (dotnet publish, build.ps1).
    ModuleVersion        = '0.0.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f1d3c2e-5b8a-4d47-9a0e-2c7b1e4f8a53'
    Author               = 'SnowPgMigration contributors'
    CompanyName          = 'SnowPgMigration'
    Copyright            = '(c) SnowPgMigration contributors. All rights reserved.'
    Description          = 'Copies Snowflake tables into PostgreSQL from a config file: binary COPY full loads, watermark upserts, chunked and resumable runs tracked in a migration_status schema, with cmdlets to inspect and repair them.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('SnowPgMigration.Format.ps1xml')
    CmdletsToExport      = @(
        'Find-SfPgGap'
        'Get-SfPgChunk'
        'Get-SfPgRun'
        'Get-SfPgRunStatus'
        'Get-SfPgTableStatus'
        'Install-SfPgStatusSchema'
        'Remove-SfPgRun'
        'Repair-SfPgTable'
        'Reset-SfPgChunk'
        'Resume-SfPgMigration'
        'Start-SfPgMigration'
        'Stop-SfPgRun'
        'Test-SfPgConfig'
        'Test-SfPgIntegrity'
        'Test-SfPgTable'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Snowflake', 'PostgreSQL', 'Migration', 'ETL', 'COPY')
            ProjectUri = ''
        }
    }
}
