#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# A sandbox migration end to end: SFPG_PESTER_CONFIG names a config whose snowflake block points at
# the emulator (sfpg-sandbox emulator serve) and SFPG_PESTER_SOURCE the source to migrate.
BeforeDiscovery {
    $script:Skip = -not $env:SFPG_PESTER_CONFIG -or -not $env:SFPG_PESTER_SOURCE
}

BeforeAll {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $modulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'TableView.ps1')
    $script:Config = $env:SFPG_PESTER_CONFIG
    $script:Source = $env:SFPG_PESTER_SOURCE

    # Runs recorded so far; a target that never had a run has no status schema yet (SFPG4002,
    # terminating like every missing connection or schema), which counts as none.
    function Get-RunCount {
        try { @(Get-SfPgRun -ConfigPath $Config -Source $Source -ErrorAction Stop).Count }
        catch { if ($_.FullyQualifiedErrorId -like 'SFPG4002,*') { 0 } else { throw } }
    }
}

Describe 'A sandbox migration' -Skip:$Skip {
    It 'plans with -WhatIf and records no run' {
        $before = Get-RunCount
        $plans = Start-SfPgMigration -ConfigPath $Config -Source $Source -WhatIf
        $plans | Should -Not -BeNullOrEmpty
        $plans | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'SnowPgMigration.PowerShell.Models.SfPgPlan' }
        $plans.Error | Where-Object { $_ } | Should -BeNullOrEmpty
        Assert-TableView $plans -Width 120 -KeyColumn Table, Strategy, LoadMethod, Chunks, ExpectedRows
        Get-RunCount | Should -Be $before
    }

    It 'shows with -WhatIf the DDL create_target would run, and creates nothing' {
        $settings = Get-Content $Config -Raw | ConvertFrom-Json
        $settings.sources[0].tables = @([pscustomobject]@{ source = 'ORDERS'; target = 'orders_created'; chunking_columns = @('ID'); chunking_column_types = @('bigint'); truncate_onstart = $true; create_target = $true })
        $creating = Join-Path $TestDrive 'create-target.json'
        $settings | ConvertTo-Json -Depth 10 | Set-Content $creating
        $before = Get-RunCount
        $plan = Start-SfPgMigration -ConfigPath $creating -Source $Source -WhatIf
        $plan.Error | Should -BeNullOrEmpty
        $plan.TargetDdl | Should -BeLike '*CREATE SCHEMA IF NOT EXISTS "public";*'
        $plan.TargetDdl | Should -BeLike "*CREATE TABLE `"public`".`"orders_created`" (*`"ID`" numeric(38,0),*`"AMOUNT`" numeric(12,2),*`"NOTE`" text*"
        $plan.LoadMethod | Should -Be 'copy'
        # Still missing: a second -WhatIf shows the same DDL, and no run was recorded.
        (Start-SfPgMigration -ConfigPath $creating -Source $Source -WhatIf).TargetDdl | Should -Be $plan.TargetDdl
        Get-RunCount | Should -Be $before
    }

    It 'writes an error record for a table -WhatIf cannot plan, and leaves $? false' {
        $config = Get-Content $Config -Raw | ConvertFrom-Json
        $config.sources[0].tables += [pscustomobject]@{ source = 'NO_SUCH_TABLE'; target = 'orders_elsewhere'; chunking_columns = @('ID'); chunking_column_types = @('bigint'); truncate_onstart = $true }
        $broken = Join-Path $TestDrive 'unplannable.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $broken
        $plans = Start-SfPgMigration -ConfigPath $broken -Source $Source -WhatIf -ErrorVariable planErrors -ErrorAction SilentlyContinue
        $succeeded = $?
        $succeeded | Should -BeFalse
        @($plans).Count | Should -Be 2
        @($plans | Where-Object Error).Count | Should -Be 1
        $planErrors.Count | Should -Be 1
        $planErrors[0].FullyQualifiedErrorId | Should -BeLike 'SFPG*,SnowPgMigration.PowerShell.Commands.StartSfPgMigrationCommand'
        $planErrors[0].Exception.Message | Should -BeLike '*NO_SUCH_TABLE*'
        $planErrors[0].TargetObject.Table | Should -Be 'public.orders_elsewhere'
    }

    It 'tests the connections with Test-SfPgConfig -Connect: a missing target table is one finding on its JSON path' {
        Test-SfPgConfig -Path $Config -Source $Source -Connect -Quiet | Should -BeTrue
        $config = Get-Content $Config -Raw | ConvertFrom-Json
        $index = @($config.sources[0].tables).Count
        $config.sources[0].tables += [pscustomobject]@{ source = $config.sources[0].tables[0].source; target = 'no_such_target'; truncate_onstart = $true }
        $broken = Join-Path $TestDrive 'missing-target.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $broken
        $findings = @(Test-SfPgConfig -Path $broken -Source $config.sources[0].source_name -Connect | Where-Object Severity -eq 'Error')
        $findings.Count | Should -Be 1
        $findings[0].Code | Should -Be 'SFPG1084'
        $findings[0].Path | Should -Be "sources[0].tables[$index].target"
        $findings[0].Message | Should -BeLike '*no_such_target*'
    }

    It 'stops with the catalogued connection error naming postgres.host and port when the target is unreachable' {
        $config = Get-Content $Config -Raw | ConvertFrom-Json
        $config.postgres.port = 1
        $unreachable = Join-Path $TestDrive 'unreachable.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $unreachable
        $err = { Start-SfPgMigration -ConfigPath $unreachable -Source $Source -NoResume -Force -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SFPG2003,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -BeLike '*postgres.host 127.0.0.1*port 1*'
    }

    It 'stops with the catalogued login error, not a raw NpgsqlException, when the password is missing' {
        $config = Get-Content $Config -Raw | ConvertFrom-Json
        $config.postgres | Add-Member user 'sfpg_password_role' -Force
        $noPassword = Join-Path $TestDrive 'no-password.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $noPassword
        $err = { Start-SfPgMigration -ConfigPath $noPassword -Source $Source -NoResume -Force -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SFPG2004,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -BeLike '*postgres.host 127.0.0.1*port*sfpg_password_role*'
        $err.Exception.Message | Should -Not -BeLike '*not-given-by-the-tests*'
    }

    It 'fails once, within seconds, with SFPG3010 when Snowflake <Case>' -ForEach @(
        @{ Case = 'refuses the connection'; SnowflakeHost = '127.0.0.1'; SnowflakePort = 1; Scheme = 'http' }
        @{ Case = 'has a name that does not resolve'; SnowflakeHost = 'no-such-account.snowflake.invalid'; SnowflakePort = 443; Scheme = 'https' }
    ) {
        # Several tables: each of them used to retry on its own (7 attempts each, minutes in all).
        $config = Get-Content $Config -Raw | ConvertFrom-Json
        $config.snowflake.host = $SnowflakeHost
        $config.snowflake.port = $SnowflakePort
        $config.snowflake.scheme = $Scheme
        $table = $config.sources[0].tables[0]
        $config.sources[0].tables = @(1..3 | ForEach-Object { $copy = $table.PSObject.Copy(); $copy.target = "orders_$_"; $copy })
        $created = 'CREATE TABLE IF NOT EXISTS orders_1 (LIKE orders); CREATE TABLE IF NOT EXISTS orders_2 (LIKE orders); CREATE TABLE IF NOT EXISTS orders_3 (LIKE orders);' |
            psql -X -q -v ON_ERROR_STOP=1 -h $config.postgres.host -p $config.postgres.port -U $config.postgres.user -d $config.sources[0].target_pg_database 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$created"
        $unreachable = Join-Path $TestDrive 'snowflake-unreachable.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $unreachable
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $terminating = $null
        try {
            Start-SfPgMigration -ConfigPath $unreachable -Source $Source -NoResume -Force -ErrorVariable failures -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        }
        catch { $terminating = $_ }
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        $errors = @(@($failures) + @($terminating) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
            Group-Object { $_.Exception.Message } | ForEach-Object { $_.Group[0] })
        $errors.Count | Should -Be 1 -Because (($errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) -join "`n")
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'SFPG3010,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        @($warnings | Where-Object { "$_" -like '*orders_*' }).Count | Should -BeLessOrEqual 1
    }

    It 'makes sfpg migrate print the catalogued error, not a stack trace, when the target is unreachable' {
        $config = Get-Content $Config -Raw | ConvertFrom-Json
        $config.postgres.port = 1
        $unreachable = Join-Path $TestDrive 'unreachable-cli.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $unreachable
        $output = & dotnet $env:SFPG_PESTER_SFPG migrate --config $unreachable --source $Source --no-resume 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $output | Should -BeLike '*error SFPG2003*postgres.host 127.0.0.1*port 1*'
        $output | Should -Not -BeLike '*   at *'
    }

    It 'asks before emptying a truncate_onstart table, and where nothing can ask runs nothing without -Force' {
        $before = Get-RunCount
        $err = { Start-SfPgMigration -ConfigPath $Config -Source $Source -NoResume -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SFPG5901,*'
        $err.Exception.Message | Should -BeLike '*public.orders in database pester_target*'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
        Get-RunCount | Should -Be $before
    }

    It 'migrates every table, verified, and writes the run, its log lines on the Verbose stream' {
        $all = Start-SfPgMigration -ConfigPath $Config -Source $Source -NoResume -Force -ErrorVariable tableErrors -Verbose 4>&1
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $run = $all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $script:Run = $run
        $script:RunId = $run.RunId
        $tableErrors.Count | Should -Be 0
        $run.Status | Should -Be 'completed'
        $run.Tables | ForEach-Object { $_.Verified | Should -BeTrue }
        @($verbose | Where-Object Message -like "Started run $($run.RunId) *").Count | Should -Be 1
        # One line per committed chunk (event 4301): together they account for every row copied.
        $committed = $verbose | ForEach-Object { if ($_.Message -match '^\S+ chunk \d+: ([\d,]+) rows committed by ') { [long]($Matches[1] -replace ',', '') } }
        ($committed | Measure-Object -Sum).Sum | Should -Be (($run.Tables | Measure-Object RowsCopied -Sum).Sum)
        Assert-TableView $run -Width 80 -KeyColumn RunId, Status, Source
        Assert-TableView $run.Tables -Width 120 -KeyColumn Table, Status, RowsCopied, Verification
    }

    It 'returns the run as the status schema recorded it, with its tables by name' {
        $run = $Run
        $run.CompletedAt | Should -Not -BeNullOrEmpty
        $run.HostName | Should -Be ([Environment]::MachineName)
        $run.ConfigHash | Should -Not -BeNullOrEmpty
        $run.ConfigHash | Should -Be (Get-SfPgRun -ConfigPath $Config -Source $Source -RunId $run.RunId).ConfigHash
        ($run | Format-List Tables | Out-String) | Should -Match 'orders: completed, 2,000 rows'
    }

    It 'shows the run through the status pipeline' {
        $status = Get-SfPgRun -ConfigPath $Config -Source $Source -RunId $RunId | Get-SfPgRunStatus
        $status.Status | Should -Be 'completed'
        $status.PercentComplete | Should -Be 100
        Get-SfPgRun -ConfigPath $Config -Source $Source -RunId $RunId | Get-SfPgTableStatus | ForEach-Object { $_.Status | Should -Be 'completed' }
    }

    It 'refuses to resume a completed run with SFPG4009' {
        { Get-SfPgRun -ConfigPath $Config -Source $Source -RunId $RunId | Resume-SfPgMigration -ConfigPath $Config -ErrorAction Stop } |
            Should -Throw -ErrorId 'SFPG4009,*'
    }

    It 'reopens the run when a completed chunk is reset with -Force' {
        $chunk = Get-SfPgChunk -ConfigPath $Config -Source $Source -RunId $RunId -First 1
        $chunk | Reset-SfPgChunk -Force | Select-Object -ExpandProperty Status | Should -Be 'pending'
        (Get-SfPgRun -ConfigPath $Config -Source $Source -RunId $RunId).Status | Should -Be 'partial'
    }
}
