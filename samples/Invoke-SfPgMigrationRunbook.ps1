#Requires -Version 7.4
<#
.SYNOPSIS
    Azure Automation runbook (PowerShell 7.4 runtime): migrates a config's tables, and resumes on the
    next job what this one could not finish.

.DESCRIPTION
    Import the module zip that './build.ps1 -Package' writes (out/SnowPgMigration.zip) into the
    Automation account, upload the config next to this runbook (or to a path the worker can read), and
    schedule the runbook. Each job:
    - takes the PostgreSQL credential from the Automation credential asset -CredentialName when
      Get-AutomationPSCredential exists (in Azure), else from -Credential, else from the config's
      ${VARIABLES};
    - stops claiming chunks before -MaxDuration (default 2 h 30 min, under Azure's 3-hour fair-share
      limit), leaving the run 'partial';
    - resumes the newest unfinished run of the same config (up to -ResumeMaxAge old), so the next
      scheduled job carries on where this one stopped;
    - writes one line per run and per failed table, and no progress records: job streams keep at most
      1 MiB each;
    - stays inside the 400 MB of an Azure sandbox: it copies with -ThrottleLimit 1 worker (the
      module's default is 4) and caps the process's managed heap at -MemoryLimitMB (256 MB). A worker
      holds a result partition (up to 16 MB) and the buffers of the next while it copies; uncapped,
      the GC let a job of full partitions reach 467-532 MB with 1 to 4 workers (samples/README.md).
    Its exit codes (pwsh -File) are sfpg migrate's: 0 every run completed; 1 a run or table failed, or it
    completed with errors; 2 bad input (an invalid config, a refusal); 3 a run reached -MaxDuration and is
    'partial' (the next job resumes it); 4 a run was cancelled (the next job resumes it).

.EXAMPLE
    pwsh -NonInteractive -File ./Invoke-SfPgMigrationRunbook.ps1 -ConfigPath ./config.json -Source analytics -MaxDuration 02:00:00
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ConfigPath,

    # The config source to migrate; every enabled source when omitted.
    [string] $Source,

    # The Automation credential asset with the PostgreSQL user and password.
    [string] $CredentialName = 'sfpg-postgres',

    # The PostgreSQL user and password when not running in Azure Automation.
    [pscredential] $Credential,

    # When to stop claiming chunks; keep it under the 3-hour fair-share limit.
    [TimeSpan] $MaxDuration = '02:30:00',

    # How old an unfinished run may be and still be resumed by the next job.
    [TimeSpan] $ResumeMaxAge = '7.00:00:00',

    # Chunks copied at once. With full 16 MB result partitions a worker needs about 75 MB of managed
    # memory; 1 keeps a job inside the 400 MB of an Azure sandbox. Raise it (and -MemoryLimitMB, or set
    # it to 0) on a Hybrid Runbook Worker.
    [ValidateRange(1, 256)]
    [int] $ThrottleLimit = 1,

    # The most managed memory (MB) this job's process may hold; 0 leaves it to .NET. With the process's
    # own memory besides, 256 keeps a job of 1 worker at 330-350 MB, under the sandbox's 400 MB (192 left
    # too little headroom: a job of full partitions once failed with OutOfMemoryException).
    [ValidateRange(0, 1048576)]
    [int] $MemoryLimitMB = 256,

    # Where the module is when it is not installed in the account (a local run, a test).
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
# An Azure sandbox has 400 MB. Without a cap the GC lets garbage grow to hundreds of MB before it
# collects; capped (GC.RefreshMemoryLimit, .NET 8 and later) it collects instead, and a job that truly
# needs more fails with OutOfMemoryException rather than being killed by the sandbox.
if ($MemoryLimitMB -gt 0 -and [GC].GetMethod('RefreshMemoryLimit')) {
    [AppContext]::SetData('GCHeapHardLimit', [uint64]$MemoryLimitMB * 1MB)
    [GC]::RefreshMemoryLimit()
}
# Progress records would fill the job's streams; the per-run lines below say what happened.
$ProgressPreference = 'SilentlyContinue'

if ($ModulePath) { Import-Module (Join-Path $ModulePath 'SnowPgMigration.psd1') }
else { Import-Module SnowPgMigration }

if (-not $Credential -and (Get-Command Get-AutomationPSCredential -ErrorAction SilentlyContinue)) {
    $Credential = Get-AutomationPSCredential -Name $CredentialName
}

$migration = @{
    ConfigPath    = $ConfigPath
    MaxDuration   = $MaxDuration
    ResumeMaxAge  = $ResumeMaxAge
    ThrottleLimit = $ThrottleLimit
    ErrorAction   = 'Continue'
    ErrorVariable = 'tableErrors'
    WarningAction = 'SilentlyContinue'
    Confirm       = $false
    Force         = $true  # empties truncate_onstart tables without asking: nothing can answer in a job
}
if ($Source) { $migration.Source = $Source }
if ($Credential) { $migration.Credential = $Credential }

try {
    $runs = @(Start-SfPgMigration @migration 2>$null)
}
catch {
    # A config or request the run refused before starting: bad input, as sfpg's exit code 2.
    Write-Output "ERROR $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)"
    if ($_.CategoryInfo.Category -in 'InvalidArgument', 'ObjectNotFound', 'InvalidOperation') { exit 2 }
    exit 1
}

foreach ($run in $runs) {
    Write-Output ('{0}: run {1} {2}, {3}/{4} tables, {5:N0} rows' -f $run.Source, $run.RunId, $run.Status, $run.TablesCompleted, $run.TablesTotal, $run.RowsCopied)
    if ($run.Status -eq 'partial') {
        Write-Output "$($run.Source): the deadline was reached; the next job resumes run $($run.RunId)."
    }
}
foreach ($failure in $tableErrors) {
    $message = $failure.Exception.Message
    if ($message.Length -gt 500) { $message = $message.Substring(0, 500) + '...' }
    Write-Output "ERROR $($failure.FullyQualifiedErrorId.Split(',')[0]): $message"
}
$statuses = @($runs.Status)
if ($tableErrors.Count -gt 0 -or $runs.Count -eq 0 -or ($statuses | Where-Object { $_ -in 'failed', 'completed_with_errors' })) { exit 1 }
if ($statuses -contains 'cancelled') { exit 4 }
if ($statuses -contains 'partial') { exit 3 }
exit 0
