#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every Pester test against the built module, with a throwaway PostgreSQL and the emulator.

.DESCRIPTION
    What CI (test.sh) runs, and what a developer can run alone after './build.ps1':
    1. starts a PostgreSQL cluster in a temporary directory on a free loopback port (as the postgres
       user when run as root, since initdb refuses root), as the xunit integration tests do;
    2. starts the emulated Snowflake SQL API ('sfpg-sandbox emulator serve') over it;
    3. starts Azurite's blob service (tools/azurite, installed by 'npm ci --prefix tools/azurite') on a free
       loopback port with its data in the temporary directory, creates the stage container, points the
       emulator's COPY INTO at it (POST /_emulator/storage) and sets SFPG_PESTER_STAGE_URL,
       SFPG_PESTER_STAGE_ENDPOINT and SFPG_PESTER_STAGE_SAS (an account SAS for the emulator's
       well-known development account) for the unload tests;
    4. seeds a small source table in the emulator's warehouse and its empty target, writes a config
       pointing at both, and sets SFPG_TEST_PG, SFPG_PESTER_CONFIG, SFPG_PESTER_SOURCE and
       SFPG_PESTER_SFPG and SFPG_PESTER_SANDBOX (the runbook test starts an emulator of its own);
    5. runs Invoke-Pester over tests/Pester against -ModulePath in this fresh process;
    6. prints "Pester: N passed, N failed, N skipped" and exits non-zero when any test failed or was
       skipped (every test has what it needs here, so a skip means a test did not run).
    The cluster, Azurite and the emulator are stopped whatever happens.

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Pester/Invoke-ModuleTests.ps1 -PesterPath ~/.nuget/packages/pester/5.9.1/tools

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Pester/Invoke-ModuleTests.ps1 -PesterPath ~/.nuget/packages/pester/5.9.1/tools -Path tests/Pester/Integrity.Tests.ps1
#>
[CmdletBinding()]
param(
    # The Pester module folder (the NuGet package's tools/ folder) or manifest.
    [Parameter(Mandatory)]
    [string] $PesterPath,

    # The assembled module folder.
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration'),

    # The built CLI (sfpg.dll).
    [string] $SfpgPath = (Join-Path $PSScriptRoot '..' '..' 'src' 'SnowPgMigration.Cli' 'bin' 'Release' 'net8.0' 'sfpg.dll'),

    # The built sandbox program (sfpg-sandbox.dll), which serves the emulator.
    [string] $SandboxPath = (Join-Path $PSScriptRoot '..' '..' 'src' 'SnowPgMigration.Sandbox' 'bin' 'Release' 'net8.0' 'sfpg-sandbox.dll'),

    # Where Pester writes its NUnit XML result, when given.
    [string] $ResultPath,

    # Runs only the tests whose full name matches (wildcards), while working on them.
    [string[]] $FullName,

    # Runs only these test files (or folders; with -File, separate several by commas) instead of every file here, while working on them.
    [string[]] $Path
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Find-PostgresServerBinaries {
    if ($env:PG_BIN -and (Test-Path (Join-Path $env:PG_BIN 'initdb'))) { return $env:PG_BIN }
    $debian = Get-ChildItem /usr/lib/postgresql/*/bin/initdb -ErrorAction SilentlyContinue |
        Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending | Select-Object -First 1
    if ($debian) { return $debian.DirectoryName }
    $fromConfig = if (Get-Command pg_config -ErrorAction SilentlyContinue) { pg_config --bindir }
    if ($fromConfig -and (Test-Path (Join-Path $fromConfig 'initdb'))) { return $fromConfig }
    throw 'No PostgreSQL server binaries (initdb, pg_ctl) were found in PG_BIN, /usr/lib/postgresql/*/bin or pg_config --bindir.'
}

# initdb and the server refuse to run as root: as root they run as the postgres user.
$asServiceUser = $IsLinux -and ((id -u) -eq '0')
function Invoke-PgTool([string] $Tool, [string[]] $Arguments) {
    $file = Join-Path $script:PgBin $Tool
    $output = if ($asServiceUser) { & runuser -u postgres -- $file @Arguments 2>&1 } else { & $file @Arguments 2>&1 }
    if ($LASTEXITCODE) { throw "$Tool exited with code ${LASTEXITCODE}: $output" }
}

# An account SAS for the Blob service (read, write, delete, list, add, create), signed as the Blob REST
# documentation's "Create an account SAS" specifies; the engine's AccountSasSigner does the same.
function New-AccountSas([string] $Account, [string] $Key, [datetime] $ExpiresUtc) {
    $version = '2021-08-06'
    $expiry = $ExpiresUtc.ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture)
    $toSign = @($Account, 'rwdlac', 'b', 'sco', '', $expiry, '', '', $version, '', '') -join "`n"
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([Convert]::FromBase64String($Key))
    try { $signature = [Convert]::ToBase64String($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($toSign))) } finally { $hmac.Dispose() }
    "sv=$version&ss=b&srt=sco&sp=rwdlac&se=$([uri]::EscapeDataString($expiry))&sig=$([uri]::EscapeDataString($signature))"
}

function Wait-ForPort([int] $Port, [System.Diagnostics.Process] $Process, [string] $Name) {
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while ($true) {
        if ($Process.HasExited) { throw "$Name exited with code $($Process.ExitCode) before listening on port $Port." }
        $probe = [System.Net.Sockets.TcpClient]::new()
        try { $probe.Connect([System.Net.IPAddress]::Loopback, $Port); return } catch { } finally { $probe.Dispose() }
        if ([datetime]::UtcNow -gt $deadline) { throw "$Name did not listen on port $Port within 60 s." }
        Start-Sleep -Milliseconds 200
    }
}

function Invoke-Sql([string] $Database, [string] $Sql) {
    $output = $Sql | psql -X -q -v ON_ERROR_STOP=1 -At -h 127.0.0.1 -p $script:PgPort -U postgres -d $Database 2>&1
    if ($LASTEXITCODE) { throw "psql failed on ${Database}: $output" }
}

$PgBin = Find-PostgresServerBinaries
$PgPort = Get-FreeLoopbackPort
$root = Join-Path ([System.IO.Path]::GetTempPath()) ('sfpg-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
$dataDir = Join-Path $root 'data'
$emulator = $null
$azurite = $null
$failed = 1
try {
    New-Item -ItemType Directory -Path $root | Out-Null
    if ($asServiceUser) { chown -R postgres: $root }
    Invoke-PgTool initdb @('-D', $dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync')
    # One role must give a password (every other logs in on trust), for the tests of a missing one.
    $hba = Join-Path $dataDir 'pg_hba.conf'
    $rules = Get-Content $hba
    Set-Content $hba -Value (@('host all sfpg_password_role 127.0.0.1/32 scram-sha-256') + $rules)
    $serverOptions = "-p $PgPort -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    Invoke-PgTool pg_ctl @('start', '-D', $dataDir, '-l', (Join-Path $root 'server.log'), '-w', '-t', '60', '-o', $serverOptions)

    $admin = "Host=127.0.0.1;Port=$PgPort;Username=postgres"
    $emulatorPort = Get-FreeLoopbackPort
    $emulatorLog = Join-Path $root 'emulator.log'
    # The emulator accepts only the token it is given; the configs the tests write send the same one.
    $emulatorToken = [guid]::NewGuid().ToString('N')
    $emulator = Start-Process dotnet -ArgumentList @((Resolve-Path $SandboxPath).Path, 'emulator', 'serve', '--pg', "`"$admin`"", '--port', $emulatorPort, '--token', $emulatorToken) `
        -RedirectStandardOutput $emulatorLog -RedirectStandardError (Join-Path $root 'emulator.err') -PassThru
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while (-not (Select-String -Path $emulatorLog -Pattern 'listening on' -Quiet -ErrorAction SilentlyContinue)) {
        if ($emulator.HasExited -or [datetime]::UtcNow -gt $deadline) {
            throw "The emulator did not start: $(Get-Content -Raw $emulatorLog -ErrorAction SilentlyContinue) $(Get-Content -Raw (Join-Path $root 'emulator.err') -ErrorAction SilentlyContinue)"
        }
        Start-Sleep -Milliseconds 200
    }

    # Azurite's blob service holds the stage of the unload tests; the emulator's COPY INTO writes into it.
    $azuriteBlob = Join-Path $PSScriptRoot '..' '..' 'tools' 'azurite' 'node_modules' '.bin' 'azurite-blob'
    if (-not (Test-Path $azuriteBlob)) { throw "Azurite is not installed at ${azuriteBlob}; run: npm ci --prefix tools/azurite" }
    $azuritePort = Get-FreeLoopbackPort
    $azuriteData = Join-Path $root 'azurite'
    New-Item -ItemType Directory -Path $azuriteData | Out-Null
    $azurite = Start-Process (Resolve-Path $azuriteBlob).Path -ArgumentList @('--blobHost', '127.0.0.1', '--blobPort', $azuritePort, '--location', $azuriteData,
        '--skipApiVersionCheck', '--loose', '--silent', '--disableTelemetry') `
        -RedirectStandardOutput (Join-Path $root 'azurite.log') -RedirectStandardError (Join-Path $root 'azurite.err') -PassThru
    Wait-ForPort $azuritePort $azurite 'Azurite'
    # The emulator's well-known development account and key (public, documented by Microsoft).
    $account = 'devstoreaccount1'
    $stageEndpoint = "http://127.0.0.1:$azuritePort/$account"
    $stageSas = New-AccountSas $account 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' ([datetime]::UtcNow.AddHours(6))
    Invoke-RestMethod -Method Put -Uri "$stageEndpoint/unload?restype=container&$stageSas" | Out-Null
    $emulatorAuth = @{ Authorization = "Bearer $emulatorToken"; 'X-Snowflake-Authorization-Token-Type' = 'PROGRAMMATIC_ACCESS_TOKEN' }
    Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:$emulatorPort/_emulator/storage" -Headers $emulatorAuth -ContentType 'application/json' `
        -Body (@{ azureBlobEndpoint = "http://127.0.0.1:$azuritePort" } | ConvertTo-Json) | Out-Null

    # The warehouse the emulator serves (Snowflake database PESTER_WH is PostgreSQL database PESTER_WH)
    # and the target database, with a small table to migrate.
    Invoke-Sql postgres 'CREATE DATABASE "PESTER_WH"; CREATE DATABASE pester_target;'
    Invoke-Sql postgres "CREATE ROLE sfpg_password_role LOGIN PASSWORD 'not-given-by-the-tests';"
    Invoke-Sql PESTER_WH @'
CREATE SCHEMA "PUBLIC";
CREATE TABLE "PUBLIC"."ORDERS" ("ID" bigint, "AMOUNT" numeric(12,2), "NOTE" text);
INSERT INTO "PUBLIC"."ORDERS" SELECT g, g * 1.25, 'order ' || g FROM generate_series(1, 2000) AS g;
'@
    Invoke-Sql pester_target 'CREATE TABLE orders (id bigint, amount numeric(12,2), note text);'
    $configPath = Join-Path $root 'pester-config.json'
    @"
{
  "snowflake": { "account": "sandbox", "user": "tester", "token": "`${SFPG_PESTER_TOKEN}", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
                 "host": "127.0.0.1", "port": $emulatorPort, "scheme": "http" },
  "postgres": { "host": "127.0.0.1", "port": $PgPort, "user": "postgres" },
  "parallel_threads": 2,
  "batch_size": 500,
  "sources": [ { "source_name": "pester", "source_sf_database": "\"PESTER_WH\"", "source_sf_schema": "\"PUBLIC\"",
                 "target_pg_database": "pester_target", "target_pg_schema": "public",
                 "tables": [ { "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"],
                               "chunking_column_types": ["bigint"], "truncate_onstart": true } ] } ]
}
"@ | Set-Content -Path $configPath

    $env:SFPG_PESTER_TOKEN = $emulatorToken
    $env:SFPG_TEST_PG = $admin
    $env:SFPG_PESTER_CONFIG = $configPath
    $env:SFPG_PESTER_SOURCE = 'pester'
    $env:SFPG_PESTER_SFPG = (Resolve-Path $SfpgPath).Path
    $env:SFPG_PESTER_SANDBOX = (Resolve-Path $SandboxPath).Path
    $env:SFPG_MODULE_PATH = (Resolve-Path $ModulePath).Path
    $env:SFPG_PESTER_STAGE_URL = "azure://$account.blob.core.windows.net/unload/stage"
    $env:SFPG_PESTER_STAGE_ENDPOINT = $stageEndpoint
    $env:SFPG_PESTER_STAGE_SAS = $stageSas

    $pesterManifest = if (Test-Path $PesterPath -PathType Container) { Join-Path $PesterPath 'Pester.psd1' } else { $PesterPath }
    Import-Module $pesterManifest -ErrorAction Stop
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = if ($Path) { @($Path -split ',' | ForEach-Object { (Resolve-Path $_).Path }) } else { $PSScriptRoot }
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    if ($FullName) { $configuration.Filter.FullName = $FullName }
    if ($ResultPath) {
        $configuration.TestResult.Enabled = $true
        $configuration.TestResult.OutputPath = $ResultPath
    }
    $result = Invoke-Pester -Configuration $configuration
    # Every test runs here, with its database and emulator: a skipped test is a failure of the suite.
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount + $result.SkippedCount + $(if ($FullName -or $Path) { 0 } else { $result.NotRunCount })
    # test.sh adds this line to dotnet test's counts.
    "Pester: $($result.PassedCount) passed, $($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) failed, $($result.SkippedCount + $result.NotRunCount) skipped"
}
finally {
    foreach ($server in @($emulator, $azurite)) {
        if ($server -and -not $server.HasExited) {
            $server.Kill($true)
            $server.WaitForExit()
        }
    }
    if (Test-Path (Join-Path $dataDir 'postmaster.pid')) {
        try { Invoke-PgTool pg_ctl @('stop', '-D', $dataDir, '-m', 'immediate', '-w') } catch { Write-Warning $_ }
    }
    Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue
}
exit [int]($failed -ne 0)
