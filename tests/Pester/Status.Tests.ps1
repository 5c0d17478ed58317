#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The status cmdlets and their pipelines against a real PostgreSQL server: SFPG_TEST_PG (an Npgsql
# connection string of a user that may create databases) and psql to arrange the status rows.
BeforeDiscovery {
    $script:Skip = -not $env:SFPG_TEST_PG -or -not (Get-Command psql -ErrorAction SilentlyContinue)
}

BeforeAll {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $modulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'TableView.ps1')
    . (Join-Path $PSScriptRoot 'Psql.ps1')
}

Describe 'Status cmdlets against PostgreSQL' -Skip:$Skip {
    BeforeAll {
        $script:Database = 'sfpg_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        Invoke-Psql -Database postgres -Sql "CREATE DATABASE $Database;"
        $script:Cs = "$env:SFPG_TEST_PG;Database=$Database"
        $script:Installed = Install-SfPgStatusSchema -ConnectionString $Cs
        $script:Stuck = [guid]::NewGuid()
        $script:Old = [guid]::NewGuid()
        Invoke-Psql -Database $Database -Sql @"
INSERT INTO migration_status.migration_runs (run_id, source_name, config_hash, status, started_at, heartbeat_at)
VALUES ('$Stuck', 'analytics', 'h', 'running', now() - interval '3 hours', now() - interval '2 hours'),
       ('$Old', 'analytics', 'h', 'completed', now() - interval '60 days', now() - interval '60 days');
INSERT INTO migration_status.migration_table_status (run_id, table_name, source_table, target_schema, status, load_method, strategy)
VALUES ('$Stuck', 'orders', 'ANALYTICS.BI.ORDERS', 'public', 'in_progress', 'copy', 'key_range');
INSERT INTO migration_status.migration_chunk_status (run_id, table_name, chunk_id, strategy, expected_rows, rows_copied, status, attempts, error)
VALUES ('$Stuck', 'orders', 1, 'key_range', 100, 100, 'completed', 1, NULL),
       ('$Stuck', 'orders', 2, 'key_range', 100, 0, 'failed', 3, 'connection reset'),
       ('$Stuck', 'orders', 3, 'key_range', 100, 0, 'failed', 3, 'value out of range'),
       ('$Stuck', 'orders', 4, 'key_range', 100, 0, 'pending', 0, NULL);
"@
    }

    AfterAll {
        Invoke-Psql -Database postgres -Sql "DROP DATABASE IF EXISTS $Database WITH (FORCE);" | Out-Null
    }

    It 'installs the schema, and says so the second time' {
        $Installed.WasInstalled | Should -BeFalse
        (Install-SfPgStatusSchema -ConnectionString $Cs).WasInstalled | Should -BeTrue
    }

    It 'lists runs newest first, and finds the stale one' {
        (Get-SfPgRun -ConnectionString $Cs).RunId | Should -Be @($Stuck, $Old)
        (Get-SfPgRun -ConnectionString $Cs -Stale).RunId | Should -Be $Stuck
        (Get-SfPgRun -ConnectionString $Cs -Status completed).RunId | Should -Be $Old
    }

    It 'shows runs and chunks at 80 columns, and every status view at 120, with their key columns' {
        $runs = Get-SfPgRun -ConnectionString $Cs
        $chunks = Get-SfPgChunk -ConnectionString $Cs -RunId $Stuck
        Assert-TableView $runs -Width 80 -KeyColumn RunId, Status, Source
        Assert-TableView $chunks -Width 80 -KeyColumn Table, ChunkId, Status
        Assert-TableView $runs -Width 120 -KeyColumn RunId, Status, Source, StartedAt, Tables
        Assert-TableView $chunks -Width 120 -KeyColumn Run, Table, ChunkId, Status, Attempts, Error
        Assert-TableView (Get-SfPgRunStatus -ConnectionString $Cs -RunId $Stuck) -Width 120 -KeyColumn RunId, Status, Percent, Chunks, Failed, TimeLeft
        Assert-TableView (Get-SfPgTableStatus -ConnectionString $Cs -RunId $Stuck) -Width 120 -KeyColumn Run, Table, Status, Chunks, Verification
        Assert-TableView $Installed -Width 120 -KeyColumn Host, Database, WasInstalled
    }

    It 'counts the tables and rows of a run that is still going, not the zeros written at its end' {
        $running = Get-SfPgRun -ConnectionString $Cs -RunId $Stuck
        $running.TablesTotal | Should -Be 1
        $running.TablesCompleted | Should -Be 0
        $running.RowsCopied | Should -Be 100
        ($running | Out-String -Width 120) | Should -Match '0/1'
    }

    It 'summarises running runs through the pipeline' {
        $status = Get-SfPgRun -ConnectionString $Cs -Status running | Get-SfPgRunStatus
        $status.RunId | Should -Be $Stuck
        $status.ChunksTotal | Should -Be 4
        $status.ChunksFailed | Should -Be 2
        $status.PercentComplete | Should -Be 25
    }

    It 'passes tables to Get-SfPgChunk' {
        $chunks = Get-SfPgRun -ConnectionString $Cs -RunId $Stuck | Get-SfPgTableStatus | Get-SfPgChunk
        $chunks.ChunkId | Should -Be @(1, 2, 3, 4)
    }

    It 'binds objects that went through Start-Job or remoting (deserialized) by their plain properties' {
        # What a job or a remote session hands back: property bags, nested objects as their text.
        $received = [System.Management.Automation.PSSerializer]::Deserialize(
            [System.Management.Automation.PSSerializer]::Serialize((Get-SfPgRun -ConnectionString $Cs -RunId $Stuck)))
        $received.PSObject.TypeNames[0] | Should -Be 'Deserialized.SnowPgMigration.PowerShell.Models.SfPgRun'
        ($received | Get-SfPgRunStatus).ChunksTotal | Should -Be 4
        $tables = [System.Management.Automation.PSSerializer]::Deserialize(
            [System.Management.Automation.PSSerializer]::Serialize((Get-SfPgTableStatus -ConnectionString $Cs -RunId $Stuck), 3))
        ($tables | Get-SfPgChunk).ChunkId | Should -Be @(1, 2, 3, 4)
    }

    It 'takes -RunId from the pipeline as a Guid or a string' {
        ($Stuck | Get-SfPgRun -ConnectionString $Cs).RunId | Should -Be $Stuck
        ("$Stuck" | Get-SfPgRunStatus -ConnectionString $Cs).ChunksTotal | Should -Be 4
        @("$Stuck" | Get-SfPgChunk -ConnectionString $Cs).Count | Should -Be 4
    }

    It 'lists what Reset-SfPgChunk -WhatIf would reset and changes nothing' {
        Get-SfPgChunk -ConnectionString $Cs -Status failed | Reset-SfPgChunk -WhatIf
        @(Get-SfPgChunk -ConnectionString $Cs -Status failed).Count | Should -Be 2
    }

    It 'resets failed chunks from the pipeline, keeping their errors in the history' {
        $reset = Get-SfPgChunk -ConnectionString $Cs -Status failed | Reset-SfPgChunk
        $reset.Status | Should -Be @('pending', 'pending')
        $reset.Attempts | Should -Be @(0, 0)
        ($reset[0].ErrorHistory | ConvertFrom-Json)[-1].error | Should -Be 'connection reset'
        @(Get-SfPgChunk -ConnectionString $Cs -Status failed).Count | Should -Be 0
    }

    It 'refuses a completed chunk as a non-terminating SFPG4008 and goes on' {
        $chunks = Get-SfPgChunk -ConnectionString $Cs -RunId $Stuck -Table orders | Where-Object ChunkId -in 1, 4
        $result = $chunks | Reset-SfPgChunk -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'SFPG4008,*'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $result.ChunkId | Should -Be 4
    }

    It 'refuses to force-complete a run with unfinished chunks, then cancels it without a prompt' {
        { Stop-SfPgRun -ConnectionString $Cs -RunId $Stuck -Complete -Force -ErrorAction Stop } | Should -Throw -ErrorId 'SFPG4006,*'
        $stopped = Get-SfPgRun -ConnectionString $Cs -Stale | Stop-SfPgRun -Reason 'stale in Pester' -Force
        $stopped.Status | Should -Be 'cancelled'
        $stopped.StopReason | Should -Be 'stale in Pester'
    }

    It 'reports an unknown run as a non-terminating SFPG4003' {
        Get-SfPgRunStatus -ConnectionString $Cs -RunId ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'SFPG4003,*'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'removes only old history, and nothing with -WhatIf' {
        Remove-SfPgRun -ConnectionString $Cs -OlderThan (New-TimeSpan -Days 30) -WhatIf
        @(Get-SfPgRun -ConnectionString $Cs).Count | Should -Be 2
        $removed = Remove-SfPgRun -ConnectionString $Cs -OlderThan (New-TimeSpan -Days 30) -Force
        $removed.RemovedRunIds | Should -Be $Old
        Assert-TableView $removed -Width 120 -KeyColumn RunsRemoved, TablesRemoved, ChunksRemoved
        (Get-SfPgRun -ConnectionString $Cs).RunId | Should -Be $Stuck
    }
}

Describe 'Get-SfPgRun -IncludeLegacy' -Skip:$Skip {
    BeforeAll {
        $script:LegacyDatabase = 'sfpg_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        Invoke-Psql -Database postgres -Sql "CREATE DATABASE $LegacyDatabase;"
        $script:LegacyCs = "$env:SFPG_TEST_PG;Database=$LegacyDatabase"
        Install-SfPgStatusSchema -ConnectionString $LegacyCs | Out-Null
        # The older tool's runs, as 'install-schema --upgrade-legacy' keeps them.
        Invoke-Psql -Database $LegacyDatabase -Sql @"
CREATE TABLE migration_status.legacy_migration_runs (run_id uuid PRIMARY KEY, status varchar(20), started_at timestamp, completed_at timestamp,
    total_tables integer, completed_tables integer, failed_tables integer, total_rows_copied bigint, error_message text);
INSERT INTO migration_status.legacy_migration_runs VALUES
    ('9072358c-40cb-4310-a24c-338b00d66436', 'completed', '2024-12-04 10:00', '2024-12-04 10:45', 1, 1, 0, 8471089, NULL);
"@
    }

    AfterAll {
        Invoke-Psql -Database postgres -Sql "DROP DATABASE IF EXISTS $LegacyDatabase WITH (FORCE);" | Out-Null
    }

    It 'lists the older tool''s runs, marked Legacy, only when asked' {
        @(Get-SfPgRun -ConnectionString $LegacyCs).Count | Should -Be 0
        $runs = @(Get-SfPgRun -ConnectionString $LegacyCs -IncludeLegacy)
        $runs.Count | Should -Be 1
        $runs[0].Legacy | Should -BeTrue
        $runs[0].RunId | Should -Be ([guid]'9072358c-40cb-4310-a24c-338b00d66436')
        $runs[0].Status | Should -Be 'completed'
        $runs[0].RowsCopied | Should -Be 8471089
        $runs[0].ToolVersion | Should -BeLike '*legacy_migration_runs*'
    }
}
