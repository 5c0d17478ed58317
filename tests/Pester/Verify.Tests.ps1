#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Test-SfPgTable, Find-SfPgGap and Repair-SfPgTable against the emulator and PostgreSQL: SFPG_PESTER_CONFIG
# (a config pointing at the emulator), SFPG_TEST_PG (to change rows behind the tool's back) and psql.
BeforeDiscovery {
    $script:Skip = -not $env:SFPG_PESTER_CONFIG -or -not $env:SFPG_TEST_PG -or -not (Get-Command psql -ErrorAction SilentlyContinue)
}

BeforeAll {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $modulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'TableView.ps1')
    . (Join-Path $PSScriptRoot 'Psql.ps1')

    # The same fingerprint on both sides: row count and the sum of the rows' text hashes.
    function Get-Fingerprint([string] $Database, [string] $Table) {
        Invoke-Psql -Database $Database -Sql "SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM $Table t;"
    }
}

Describe 'Verifying and repairing tables' -Skip:$Skip {
    BeforeAll {
        # A table of its own, three ranges of 500 rows, so the other files' tables are not touched.
        Invoke-Psql -Database PESTER_WH -Sql @'
CREATE TABLE "PUBLIC"."GAPS" ("ID" bigint, "AMOUNT" numeric(12,2), "NOTE" text);
INSERT INTO "PUBLIC"."GAPS" SELECT g, g * 1.25, 'gap ' || g FROM generate_series(1, 1500) AS g;
'@
        Invoke-Psql -Database pester_target -Sql 'CREATE TABLE gaps (id bigint, amount numeric(12,2), note text);'
        $document = Get-Content $env:SFPG_PESTER_CONFIG -Raw | ConvertFrom-Json
        $document.sources[0].tables = @([pscustomobject]@{
                source = 'GAPS'; target = 'gaps'; chunking_columns = @('ID'); chunking_column_types = @('bigint'); truncate_onstart = $true; verify = 'checksums'
            })
        $script:Config = Join-Path $TestDrive 'verify-config.json'
        $document | ConvertTo-Json -Depth 10 | Set-Content $Config
        $run = Start-SfPgMigration -ConfigPath $Config -Force
        $run.Status | Should -Be 'completed'
        $script:SourceGaps = '"PUBLIC"."GAPS"'
    }

    It 'Test-SfPgTable writes one equal table after the load, in a view that fits 120 columns' {
        $result = @(Test-SfPgTable -ConfigPath $Config)
        $result.Count | Should -Be 1
        $result[0].PSObject.TypeNames[0] | Should -Be 'SnowPgMigration.PowerShell.Models.SfPgTableVerification'
        $result[0].Table | Should -Be 'gaps'
        $result[0].Status | Should -Be 'equal'
        $result[0].SourceRows | Should -Be 1500
        $result[0].TargetRows | Should -Be 1500
        $result[0].Method | Should -Be 'checksums'
        $result[0].DifferingRanges.Count | Should -Be 0
        $result[0].Changed | Should -BeNullOrEmpty
        Assert-TableView $result -Width 120 -KeyColumn Table, Status, SourceRows, TargetRows, Method
    }

    It 'Test-SfPgTable names the range where target rows were deleted and a value changed' {
        Invoke-Psql -Database pester_target -Sql 'DELETE FROM gaps WHERE id BETWEEN 700 AND 704; UPDATE gaps SET amount = amount + 0.01 WHERE id = 1200;'
        $result = Test-SfPgTable -ConfigPath $Config -Table gaps
        $result.Status | Should -Be 'different'
        $result.TargetRows | Should -Be 1495
        $result.DifferingRanges.Count | Should -Be 2
        ($result.DifferingRanges | ForEach-Object { "$($_.SourceRows)/$($_.TargetRows)" }) | Should -Be @('500/495', '500/500')
    }

    It 'Find-SfPgGap | Repair-SfPgTable -WhatIf names the ranges and changes nothing' {
        $before = Get-Fingerprint pester_target gaps
        $gaps = @(Find-SfPgGap -ConfigPath $Config -Table gaps)
        $gaps.Count | Should -Be 2
        $gaps[0].PSObject.TypeNames[0] | Should -Be 'SnowPgMigration.PowerShell.Models.SfPgGap'
        Assert-TableView $gaps -Width 120 -KeyColumn Table, RangeId, SourceRows, TargetRows
        # -WhatIf writes its message to the host: the transcript catches it.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { $gaps | Repair-SfPgTable -WhatIf } finally { Stop-Transcript | Out-Null }
        Get-Content $transcript -Raw | Should -Match 'Re-load 2 range\(s\), deleting 995 target row\(s\) and copying 1,000 source row\(s\)'
        Get-Fingerprint pester_target gaps | Should -Be $before
    }

    It 'Find-SfPgGap | Repair-SfPgTable re-loads exactly the differing ranges as a repair run' {
        $repair = Find-SfPgGap -ConfigPath $Config -Table gaps | Repair-SfPgTable
        $repair.Status | Should -Be 'equal'
        $repair.RangesReloaded | Should -Be 2
        $repair.RowsCopied | Should -Be 1000
        Invoke-Psql -Database pester_target -Sql "SELECT run_kind || ' ' || status FROM migration_status.migration_runs WHERE run_id = '$($repair.RunId)';" | Should -Be 'repair completed'
        (Test-SfPgTable -ConfigPath $Config).Status | Should -Be 'equal'
        Get-Fingerprint pester_target gaps | Should -Be (Get-Fingerprint PESTER_WH $SourceGaps)
    }

    It 'leaves extra target rows without -DeleteExtra and removes them with it' {
        Invoke-Psql -Database pester_target -Sql "INSERT INTO gaps SELECT g, 1, 'extra' FROM generate_series(5001, 5010) g;"
        $kept = Find-SfPgGap -ConfigPath $Config | Repair-SfPgTable -WarningVariable warnings -WarningAction SilentlyContinue
        $kept.Status | Should -Be 'different'
        $kept.RangesSkipped | Should -Be 1
        $warnings | Should -Match 'delete-extra'
        $repaired = Find-SfPgGap -ConfigPath $Config | Repair-SfPgTable -DeleteExtra
        $repaired.Status | Should -Be 'equal'
        Get-Fingerprint pester_target gaps | Should -Be (Get-Fingerprint PESTER_WH $SourceGaps)
    }

    It 'refuses to delete more than -MaxDeleteRatio with the catalogued error naming the counts' {
        Invoke-Psql -Database pester_target -Sql "INSERT INTO gaps SELECT g, 1, 'extra' FROM generate_series(6001, 6300) g;"
        $err = { Find-SfPgGap -ConfigPath $Config | Repair-SfPgTable -DeleteExtra -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SFPG4400,*'
        $err.Exception.Message | Should -BeLike '*300 extra row(s) of the target''s 1,800*'
        (Test-SfPgTable -ConfigPath $Config).TargetRows | Should -Be 1800
        (Find-SfPgGap -ConfigPath $Config | Repair-SfPgTable -DeleteExtra -MaxDeleteRatio 0.2).Status | Should -Be 'equal'
    }
}

Describe 'Narrowing differences down to keys (-Deep)' -Skip:$Skip {
    BeforeAll {
        # Upserted by its key, so the deep comparison names rows by id.
        Invoke-Psql -Database PESTER_WH -Sql @'
CREATE TABLE "PUBLIC"."DEEPGAPS" ("ID" bigint, "AMOUNT" numeric(12,2), "NOTE" text);
INSERT INTO "PUBLIC"."DEEPGAPS" SELECT g, g * 1.25, 'deep ' || g FROM generate_series(1, 1500) AS g;
'@
        Invoke-Psql -Database pester_target -Sql 'CREATE TABLE deepgaps (id bigint PRIMARY KEY, amount numeric(12,2), note text);'
        $document = Get-Content $env:SFPG_PESTER_CONFIG -Raw | ConvertFrom-Json
        $document.sources[0].tables = @([pscustomobject]@{
                source = 'DEEPGAPS'; target = 'deepgaps'; chunking_columns = @('ID'); chunking_column_types = @('bigint'); uniqueness_columns = @('id')
            })
        $script:DeepConfig = Join-Path $TestDrive 'deep-config.json'
        $document | ConvertTo-Json -Depth 10 | Set-Content $DeepConfig
        (Start-SfPgMigration -ConfigPath $DeepConfig -Force).Status | Should -Be 'completed'
    }

    It 'Test-SfPgTable -Deep counts missing, extra and changed rows and names their first keys' {
        $equal = Test-SfPgTable -ConfigPath $DeepConfig -Deep
        "$($equal.Missing) $($equal.Extra) $($equal.Changed)" | Should -Be '0 0 0'
        Invoke-Psql -Database pester_target -Sql "DELETE FROM deepgaps WHERE id IN (10, 11); UPDATE deepgaps SET note = 'edited' WHERE id = 700; INSERT INTO deepgaps VALUES (9001, 1, 'extra');"
        $result = Test-SfPgTable -ConfigPath $DeepConfig -Deep
        $result.Status | Should -Be 'different'
        "$($result.Missing) $($result.Extra) $($result.Changed)" | Should -Be '2 1 1'
        $result.MissingKeys | Should -Be @('id=10', 'id=11')
        $result.ExtraKeys | Should -Be @('id=9001')
        $result.ChangedKeys | Should -Be @('id=700')
    }

    It 'Find-SfPgGap -Deep | Repair-SfPgTable -DeleteExtra repairs the ranges it names' {
        $gaps = @(Find-SfPgGap -ConfigPath $DeepConfig -Deep)
        ($gaps | Measure-Object -Property Missing -Sum).Sum | Should -Be 2
        ($gaps.SampleKeys | Sort-Object) | Should -Be @('changed id=700', 'extra id=9001', 'missing id=10', 'missing id=11')
        ($gaps | Repair-SfPgTable -DeleteExtra).Status | Should -Be 'equal'
        $after = Test-SfPgTable -ConfigPath $DeepConfig -Deep
        "$($after.Status) $($after.Missing) $($after.Extra) $($after.Changed)" | Should -Be 'equal 0 0 0'
        Get-Fingerprint pester_target deepgaps | Should -Be (Get-Fingerprint PESTER_WH '"PUBLIC"."DEEPGAPS"')
    }
}
