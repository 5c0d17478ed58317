#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Start-SfPgMigration on an "extract": "unload" table, in two pwsh processes sharing one run's files: the emulator's
# COPY INTO writes into Azurite (SFPG_PESTER_STAGE_URL, _ENDPOINT and _SAS, set by Invoke-ModuleTests.ps1), the owner
# keeps the files (-KeepFiles) and a background job joins the run (-Join). Needs SFPG_PESTER_CONFIG, SFPG_TEST_PG and psql.
BeforeDiscovery {
    $script:Skip = -not $env:SFPG_PESTER_CONFIG -or -not $env:SFPG_TEST_PG -or -not $env:SFPG_PESTER_STAGE_SAS -or
        -not (Get-Command psql -ErrorAction SilentlyContinue)
}

BeforeAll {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    $script:Manifest = Join-Path $modulePath 'SnowPgMigration.psd1'
    Import-Module $Manifest -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Psql.ps1')

    # Every row as its text form, sorted and hashed: the same query on both sides.
    function Get-Fingerprint([string] $Database, [string] $Table) {
        Invoke-Psql -Database $Database -Sql "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $Table t;"
    }

    # Ends the session holding the target's lock (its pg_sleep would outlive a killed psql) and the psql process.
    function Stop-Hold {
        if ($Hold) {
            Invoke-Psql -Database pester_unload -Sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE '%LOCK TABLE unloaded IN SHARE MODE%' AND pid <> pg_backend_pid();" | Out-Null
            if (-not $Hold.HasExited) { $Hold.Kill() }
        }
    }

    # Waits for a SQL condition on the unload target to return 't', failing with what the jobs said.
    function Wait-Until([string] $Sql, [string] $Because, [object[]] $Jobs) {
        $deadline = [datetime]::UtcNow.AddSeconds(120)
        while ((Invoke-Psql -Database pester_unload -Sql $Sql) -ne 't') {
            $ended = @($Jobs | Where-Object State -NE 'Running')
            if ($ended -or [datetime]::UtcNow -gt $deadline) {
                $said = $Jobs | ForEach-Object { "[$($_.State)] $(Receive-Job $_ -Keep *>&1 | Out-String) $($_.ChildJobs[0].JobStateInfo.Reason)" }
                throw "Waited in vain until $Because. $($ended.Count) job(s) ended: $said"
            }
            Start-Sleep -Milliseconds 200
        }
    }

    # The blobs under the stage's prefix, from the Blob REST API's listing.
    function Get-StageBlob {
        $url = "$env:SFPG_PESTER_STAGE_ENDPOINT/unload?restype=container&comp=list&prefix=stage/&$env:SFPG_PESTER_STAGE_SAS"
        $listing = [xml](Invoke-WebRequest -Uri $url).Content.TrimStart([char]0xFEFF)
        @($listing.EnumerationResults.Blobs.Blob | Where-Object { $_ } | ForEach-Object Name | Sort-Object)
    }
}

Describe 'An unloaded table shared by two pwsh processes' -Skip:$Skip {
    BeforeAll {
        # 40,000 rows of about 80 bytes in one chunk (no chunking column): several 1 MB files of one chunk, for two processes to share.
        Invoke-Psql -Database PESTER_WH -Sql @'
CREATE TABLE "PUBLIC"."UNLOADED" ("ID" bigint, "A" text, "B" text);
INSERT INTO "PUBLIC"."UNLOADED" SELECT g, md5(g::text) || md5((g * 7)::text), CASE WHEN g % 9 = 0 THEN NULL ELSE md5((-g)::text) END FROM generate_series(1, 40000) AS g;
'@
        Invoke-Psql -Database postgres -Sql 'CREATE DATABASE pester_unload;'
        Invoke-Psql -Database pester_unload -Sql 'CREATE TABLE unloaded (id bigint, a text, b text);'
        $document = Get-Content $env:SFPG_PESTER_CONFIG -Raw | ConvertFrom-Json
        $document.parallel_threads = 1
        $document | Add-Member -NotePropertyName stage -NotePropertyValue ([pscustomobject]@{
                url = $env:SFPG_PESTER_STAGE_URL; endpoint = $env:SFPG_PESTER_STAGE_ENDPOINT; sas_token = '${SFPG_PESTER_STAGE_SAS}'; max_file_size = 1048576
            })
        $document.sources[0].source_name = 'pester_unload'
        $document.sources[0].target_pg_database = 'pester_unload'
        $document.sources[0].tables = @([pscustomobject]@{ source = 'UNLOADED'; target = 'unloaded'; extract = 'unload' })
        $script:Config = Join-Path $TestDrive 'unload-config.json'
        $document | ConvertTo-Json -Depth 10 | Set-Content $Config
        # Installed up front, so the test can watch the file queue from the first moment.
        Install-SfPgStatusSchema -ConfigPath $Config -WarningAction SilentlyContinue | Out-Null
        $script:Hold = $null
        $script:Jobs = @()
    }

    AfterAll {
        Stop-Hold
        $Jobs | Remove-Job -Force -ErrorAction SilentlyContinue
    }

    It 'loads the files once between the owner (-KeepFiles) and a joining process, keeps them, and leaves the table equal' {
        # A session holding a SHARE lock on the target: each process stops inside a file, before inserting its rows,
        # until the lock goes; proof that both hold files of the same chunk at once.
        $script:Hold = Start-Process psql -PassThru -RedirectStandardOutput (Join-Path $TestDrive 'hold.log') -RedirectStandardError (Join-Path $TestDrive 'hold.err') `
            -ArgumentList '-X -q -d pester_unload -c "BEGIN; LOCK TABLE unloaded IN SHARE MODE; SELECT pg_sleep(600);"'
        Wait-Until "SELECT count(*) > 0 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'unloaded' AND l.mode = 'ShareLock' AND l.granted" 'the target is locked' @()

        $migrate = {
            param([string] $Manifest, [string] $Config, [string] $Join)
            Import-Module $Manifest -ErrorAction Stop
            if ($Join) { Start-SfPgMigration -ConfigPath $Config -Join $Join } else { Start-SfPgMigration -ConfigPath $Config -KeepFiles }
        }
        $owner = Start-Job -ScriptBlock $migrate -ArgumentList $Manifest, $Config, ''
        $script:Jobs = @($owner)
        Wait-Until "SELECT count(*) > 0 FROM migration_status.migration_unload_files WHERE status = 'in_progress'" 'the owner holds a file' $Jobs
        $runId = Invoke-Psql -Database pester_unload -Sql 'SELECT run_id FROM migration_status.migration_runs;'
        $joiner = Start-Job -ScriptBlock $migrate -ArgumentList $Manifest, $Config, $runId
        $script:Jobs = @($owner, $joiner)
        Wait-Until "SELECT count(DISTINCT split_part(worker_id, ':', 2)) = 2 FROM migration_status.migration_unload_files WHERE status = 'in_progress'" 'both processes hold a file' $Jobs
        Stop-Hold

        $null = $Jobs | Wait-Job -Timeout 120
        $Jobs | ForEach-Object { $_.State | Should -Be 'Completed' -Because (Receive-Job $_ -Keep *>&1 | Out-String) }
        $ownerRun = Receive-Job $owner -ErrorVariable ownerErrors -WarningVariable ownerWarnings -WarningAction SilentlyContinue
        $joinedRun = Receive-Job $joiner -ErrorVariable joinerErrors -WarningVariable joinerWarnings -WarningAction SilentlyContinue
        $ownerErrors + $joinerErrors | Should -BeNullOrEmpty
        # The one warning is the config's (an empty target without truncate_onstart, which a lock-held TRUNCATE would block); none of files left.
        $ownerWarnings + $joinerWarnings | Where-Object { "$_" -notlike '*SFPG1022*' } | Should -BeNullOrEmpty
        $ownerRun.RunId | Should -Be $runId
        $joinedRun.RunId | Should -Be $runId
        $ownerRun.Status | Should -Be 'completed'

        # Each file was loaded once, by one of the two processes, and both processes loaded some.
        Invoke-Psql -Database pester_unload -Sql "SELECT count(DISTINCT split_part(worker_id, ':', 2)) FROM migration_status.migration_unload_files;" | Should -Be '2'
        Invoke-Psql -Database pester_unload -Sql "SELECT count(*) FROM migration_status.migration_unload_files WHERE attempts <> 1 OR status <> 'completed' OR rows_loaded <> row_count;" | Should -Be '0'
        Invoke-Psql -Database pester_unload -Sql 'SELECT sum(rows_loaded) FROM migration_status.migration_unload_files;' | Should -Be '40000'

        # Kept for audit: every file is still in the stage, as the Blob REST API lists it, and recorded as kept.
        $recorded = @(Invoke-Psql -Database pester_unload -Sql 'SELECT file_name FROM migration_status.migration_unload_files WHERE deleted_at IS NULL ORDER BY file_name;')
        $recorded.Count | Should -BeGreaterThan 2
        Get-StageBlob | Should -Be $recorded
        Invoke-Psql -Database pester_unload -Sql 'SELECT state FROM migration_status.migration_unload_folders;' | Should -Be 'kept'

        $verified = Test-SfPgTable -ConfigPath $Config -Table unloaded -WarningAction SilentlyContinue
        $verified.Status | Should -Be 'equal'
        $verified.TargetRows | Should -Be 40000
        Get-Fingerprint -Database pester_unload -Table 'unloaded' | Should -Be (Get-Fingerprint -Database PESTER_WH -Table '"PUBLIC"."UNLOADED"')
    }
}
