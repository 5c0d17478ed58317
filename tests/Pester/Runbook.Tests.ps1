#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The Azure Automation runbook sample as Azure runs it: pwsh -NonInteractive -File, twice (a job that
# reaches its deadline, then the next job that resumes the run), against an emulator slowed down so
# the deadline falls mid-run. Needs SFPG_TEST_PG, SFPG_PESTER_CONFIG (its warehouse and source table)
# and SFPG_PESTER_SANDBOX (the built sfpg-sandbox.dll, which serves the emulator); Invoke-ModuleTests.ps1 sets them.
BeforeDiscovery {
    $script:Skip = -not $env:SFPG_TEST_PG -or -not $env:SFPG_PESTER_CONFIG -or -not $env:SFPG_PESTER_SANDBOX -or -not (Get-Command psql -ErrorAction SilentlyContinue)
}

BeforeAll {
    $script:ModulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    $script:Runbook = Join-Path $PSScriptRoot '..' '..' 'samples' 'Invoke-SfPgMigrationRunbook.ps1'
    $script:Build = Join-Path $PSScriptRoot '..' '..' 'build.ps1'

    function Invoke-Sql([string] $Database, [string] $Sql) {
        $parts = @{}
        foreach ($pair in $env:SFPG_TEST_PG -split ';' | Where-Object { $_ -match '=' }) {
            $key, $value = $pair -split '=', 2
            $parts[$key.Trim().ToLowerInvariant()] = $value.Trim()
        }
        $output = $Sql | psql -X -q -v ON_ERROR_STOP=1 -At -h $parts['host'] -p $parts['port'] -U $parts['username'] -d $Database 2>&1
        if ($LASTEXITCODE) { throw "psql failed: $output" }
        $output
    }

    # pwsh as a separate process, the way Azure Automation starts a job; the peak resident memory
    # (VmHWM) is read while it runs.
    function Invoke-Runbook([string[]] $Arguments) {
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $Runbook) + $Arguments) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $peak = 0
        while (-not $process.HasExited) {
            $status = Get-Content "/proc/$($process.Id)/status" -ErrorAction SilentlyContinue | Select-String '^VmHWM:\s+(\d+) kB'
            if ($status) { $peak = [math]::Max($peak, [long]$status.Matches[0].Groups[1].Value * 1KB) }
            Start-Sleep -Milliseconds 100
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Errors = $stderr.Result; PeakBytes = $peak }
    }
}

Describe 'The Azure Automation runbook sample' -Skip:$Skip {
    BeforeAll {
        $script:Target = 'sfpg_runbook_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-Sql postgres "CREATE DATABASE $Target;"
        Invoke-Sql $Target 'CREATE TABLE orders (id bigint, amount numeric(12,2), note text);'

        # Every request to this emulator takes 600 ms, so a 5-second job ends mid-run.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $script:EmulatorLog = Join-Path $TestDrive 'emulator.log'
        $script:Emulator = Start-Process dotnet -PassThru -RedirectStandardOutput $EmulatorLog -RedirectStandardError (Join-Path $TestDrive 'emulator.err') -ArgumentList @(
            $env:SFPG_PESTER_SANDBOX, 'emulator', 'serve', '--pg', "`"$env:SFPG_TEST_PG`"", '--port', $port, '--faults', 'slow:every=1:ms=600', '--token', $env:SFPG_PESTER_TOKEN)
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not (Select-String -Path $EmulatorLog -Pattern 'listening on' -Quiet -ErrorAction SilentlyContinue)) {
            if ($Emulator.HasExited -or [datetime]::UtcNow -gt $deadline) { throw 'The slow emulator did not start.' }
            Start-Sleep -Milliseconds 200
        }

        $config = Get-Content $env:SFPG_PESTER_CONFIG -Raw | ConvertFrom-Json
        $config.snowflake.port = $port
        $config.parallel_threads = 1
        $config.batch_size = 200
        $config | Add-Member deadline_buffer_seconds 1
        $config.sources[0].source_name = 'runbook'
        $config.sources[0].target_pg_database = $Target
        $script:ConfigPath = Join-Path $TestDrive 'runbook-config.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $ConfigPath
    }

    AfterAll {
        if ($Emulator -and -not $Emulator.HasExited) { $Emulator.Kill($true) }
        Invoke-Sql postgres "DROP DATABASE IF EXISTS $Target WITH (FORCE);" | Out-Null
    }

    It 'stops the first job at its deadline, resumes the run in the next to completion, compactly and in under 400 MB' {
        $common = @('-ConfigPath', $ConfigPath, '-Source', 'runbook', '-ModulePath', $ModulePath)
        $first = Invoke-Runbook ($common + @('-MaxDuration', '00:00:05'))
        $first.ExitCode | Should -Be 3 -Because "a partial run exits 3, as sfpg migrate does: $($first.Output)$($first.Errors)"
        $first.Output | Should -Match 'runbook: run (?<id>[0-9a-f-]{36}) partial'
        $runId = [regex]::Match($first.Output, 'run ([0-9a-f-]{36}) partial').Groups[1].Value
        $first.Output | Should -Match "the next job resumes run $runId"

        $second = Invoke-Runbook $common
        $second.ExitCode | Should -Be 0 -Because "$($second.Output)$($second.Errors)"
        $second.Output | Should -Match "runbook: run $runId completed, 1/1 tables"
        Invoke-Sql $Target 'SELECT count(*), count(DISTINCT id) FROM orders;' | Should -Be '2000|2000'

        # Job streams keep at most 1 MiB each: a few lines per job.
        ($first.Output + $first.Errors).Length | Should -BeLessThan 4KB
        ($second.Output + $second.Errors).Length | Should -BeLessThan 4KB
        # Azure's sandboxes have 400 MB.
        $peak = [math]::Max($first.PeakBytes, $second.PeakBytes)
        Write-Host ('Runbook peak memory: {0:N0} MB' -f ($peak / 1MB))
        $peak | Should -BeGreaterThan 0
        $peak | Should -BeLessThan 400MB
    }
}

Describe 'The runbook''s exit code for bad input' {
    It 'exits 2, as sfpg does, when the config cannot be read, naming the catalogued error' {
        $job = Invoke-Runbook @('-ConfigPath', (Join-Path $TestDrive 'no-such-config.json'), '-ModulePath', $ModulePath)
        $job.ExitCode | Should -Be 2 -Because "$($job.Output)$($job.Errors)"
        $job.Output | Should -Match 'ERROR SFPG1001'
    }
}

# Azure's sandboxes have 400 MB. The deadline test above runs one worker on small chunks; this one
# runs the runbook as shipped (its -ThrottleLimit 1 and -MemoryLimitMB 256) over a config that sets
# nothing (no parallel_threads or batch_size: the module's 10,000 rows a chunk) over rows of 3.2 KB, so each chunk's result is two full partitions of
# 16 MB (the emulator's cap, as Snowflake's partitions are capped by size) and the worker holds one
# while it prefetches the next: the most the defaults keep in memory at once. Uncapped, such a job
# peaked at 467 MB with 1 worker and 532 MB with 4; capped as the runbook does, at 330-350 MB.
Describe 'The runbook at the module''s default settings' -Skip:$Skip {
    BeforeAll {
        $script:Wide = 'WIDE_' + [guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        $script:WideTarget = 'sfpg_defaults_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:WideRows = 30000
        # The emulator of Invoke-ModuleTests.ps1 serves database PESTER_WH of the same server, unslowed.
        $config = Get-Content $env:SFPG_PESTER_CONFIG -Raw | ConvertFrom-Json
        $warehouse = $config.sources[0].source_sf_database.Trim('"')
        Invoke-Sql $warehouse "CREATE TABLE ""PUBLIC"".""$Wide"" (""ID"" bigint, ""PAYLOAD"" text); INSERT INTO ""PUBLIC"".""$Wide"" SELECT g, repeat(md5(g::text), 100) FROM generate_series(1, $WideRows) g;"
        Invoke-Sql postgres "CREATE DATABASE $WideTarget;"
        Invoke-Sql $WideTarget 'CREATE TABLE wide (id bigint, payload text);'

        foreach ($setting in 'parallel_threads', 'batch_size', 'batch_size_copy_mode') { $config.PSObject.Properties.Remove($setting) }
        $config.sources[0].source_name = 'defaults'
        $config.sources[0].target_pg_database = $WideTarget
        $config.sources[0].tables = @([pscustomobject]@{ source = $Wide; target = 'wide'; chunking_columns = @('ID'); chunking_column_types = @('bigint'); truncate_onstart = $true })
        $script:DefaultsConfig = Join-Path $TestDrive 'defaults-config.json'
        $config | ConvertTo-Json -Depth 10 | Set-Content $DefaultsConfig
    }

    AfterAll {
        $config = Get-Content $env:SFPG_PESTER_CONFIG -Raw | ConvertFrom-Json
        Invoke-Sql $config.sources[0].source_sf_database.Trim('"') "DROP TABLE IF EXISTS ""PUBLIC"".""$Wide"";" | Out-Null
        Invoke-Sql postgres "DROP DATABASE IF EXISTS $WideTarget WITH (FORCE);" | Out-Null
    }

    It 'copies a table of full partitions with its default workers in under 400 MB' {
        $job = Invoke-Runbook @('-ConfigPath', $DefaultsConfig, '-Source', 'defaults', '-ModulePath', $ModulePath)
        $job.ExitCode | Should -Be 0 -Because "$($job.Output)$($job.Errors)"
        $job.Output | Should -Match "defaults: run [0-9a-f-]{36} completed, 1/1 tables, $('{0:N0}' -f $WideRows) rows"
        Write-Host ('Runbook peak memory at the defaults: {0:N0} MB' -f ($job.PeakBytes / 1MB))
        Invoke-Sql $WideTarget 'SELECT count(DISTINCT id), sum(length(payload)) FROM wide;' | Should -Be "$WideRows|$($WideRows * 3200)"
        # The run really had the defaults: chunks of 10,000 rows (and the chunk of NULL keys), 1 worker.
        Invoke-Sql $WideTarget 'SELECT count(*) FILTER (WHERE expected_rows = 10000), count(DISTINCT worker_id) FROM migration_status.migration_chunk_status;' | Should -Be '3|1'
        $job.PeakBytes | Should -BeGreaterThan 0
        $job.PeakBytes | Should -BeLessThan 400MB
    }
}

Describe 'The Azure Automation package' {
    It 'is a zip of the SnowPgMigration folder with its manifest, under 100 MB' {
        $module = Join-Path $TestDrive 'SnowPgMigration'
        Copy-Item -Recurse $ModulePath $module
        & $Build -Package -NoBuild -OutputPath $module | Out-Null
        $zip = Join-Path $TestDrive 'SnowPgMigration.zip'
        Test-Path $zip | Should -BeTrue
        (Get-Item $zip).Length | Should -BeLessThan 100MB
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try {
            $names = $archive.Entries.FullName -replace '\\', '/'
            $names | Should -Contain 'SnowPgMigration/SnowPgMigration.psd1'
            $names | Should -Contain 'SnowPgMigration/SnowPgMigration.PowerShell.dll'
            $names | Should -Contain 'SnowPgMigration/Dependencies/SnowPgMigration.Engine.dll'
            $names | Where-Object { $_ -notlike 'SnowPgMigration/*' } | Should -BeNullOrEmpty
        }
        finally {
            $archive.Dispose()
        }
    }
}
