#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Test-SfPgIntegrity against a real PostgreSQL target: SFPG_TEST_PG (an Npgsql connection string of a user that
# may create databases) and psql to arrange the tables. The check never reads the source, so the config's
# snowflake block points nowhere.
BeforeDiscovery {
    $script:Skip = -not $env:SFPG_TEST_PG -or -not (Get-Command psql -ErrorAction SilentlyContinue)
}

BeforeAll {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $modulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'TableView.ps1')

    $script:Server = @{}
    foreach ($pair in $env:SFPG_TEST_PG -split ';' | Where-Object { $_ -match '=' }) {
        $key, $value = $pair -split '=', 2
        $Server[$key.Trim().ToLowerInvariant()] = $value.Trim()
    }
    if (-not $Server['port']) { $Server['port'] = '5432' }
    if (-not $Server['username']) { $Server['username'] = $Server['user id'] }

    function Invoke-Psql([string] $Database, [string] $Sql) {
        $env:PGHOST = $Server['host']; $env:PGPORT = $Server['port']; $env:PGUSER = $Server['username']; $env:PGPASSWORD = $Server['password']
        $output = $Sql | psql -X -q -v ON_ERROR_STOP=1 -At -d $Database 2>&1
        if ($LASTEXITCODE) { throw "psql failed: $output" }
        $output
    }

    # A config over $Database whose tables array is $Tables (JSON).
    function New-IntegrityConfig([string] $Tables) {
        $path = Join-Path $TestDrive ("integrity-{0}.json" -f [guid]::NewGuid().ToString('N').Substring(0, 8))
        @"
{
  "snowflake": { "account": "sandbox", "user": "tester", "token": "`${SFPG_INTEGRITY_UNUSED_TOKEN:-unused}", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
                 "host": "127.0.0.1", "port": 9, "scheme": "http" },
  "postgres": { "host": "$($Server['host'])", "port": $($Server['port']), "user": "$($Server['username'])" },
  "sources": [ { "source_name": "shop", "source_sf_database": "SHOP", "source_sf_schema": "PUBLIC",
                 "target_pg_database": "$Database", "target_pg_schema": "public", "tables": $Tables } ]
}
"@ | Set-Content -Path $path
        $path
    }
}

Describe 'Test-SfPgIntegrity against PostgreSQL' -Skip:$Skip {
    BeforeAll {
        $script:Database = 'sfpg_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        Invoke-Psql -Database postgres -Sql "CREATE DATABASE $Database;" | Out-Null
        Invoke-Psql -Database $Database -Sql @'
CREATE TABLE customers (id bigint PRIMARY KEY, name text, updated_at timestamp);
INSERT INTO customers SELECT g, 'c' || g, now() FROM generate_series(1, 20) g;
CREATE TABLE orders (id bigint, customer_id bigint, seller_id bigint, updated_at timestamp);
INSERT INTO orders SELECT g, g % 20 + 1, g % 20 + 1, now() FROM generate_series(1, 200) g;
INSERT INTO orders VALUES (5, 1, 1, now()), (6, 1, 1, NULL), (NULL, 1, 1, now()), (900, 77, 1, now()), (901, 78, 99, now());
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
'@ | Out-Null
        $script:Customers = '{ "source": "CUSTOMERS", "target": "customers", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at" }'
        $script:Orders = '{ "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at", "references": [ { "columns": ["seller_id"], "table": "customers", "name": "orders_seller" } ] }'
        $script:Config = New-IntegrityConfig "[ $Customers, $Orders ]"
        $script:Findings = @(Test-SfPgIntegrity -ConfigPath $Config)
    }

    AfterAll {
        Invoke-Psql -Database postgres -Sql "DROP DATABASE IF EXISTS $Database WITH (FORCE);" | Out-Null
    }

    It 'writes one object per table and check, with counts and the first keys' {
        $Findings | ForEach-Object { $_.GetType().FullName } | Select-Object -Unique | Should -Be 'SnowPgMigration.PowerShell.Models.SfPgIntegrityFinding'
        ($Findings | ForEach-Object { "$($_.Table) $($_.Check) $($_.Count)" }) | Should -Be @(
            'customers duplicate_keys 0'
            'customers null_keys 0'
            'customers null_watermarks 0'
            'orders duplicate_keys 4'
            'orders null_keys 1'
            'orders null_watermarks 1'
            'orders orphaned_foreign_keys 2'
            'orders orphaned_foreign_keys 1'
        )
        $orders = $Findings | Where-Object Table -eq orders
        ($orders | Where-Object Check -eq duplicate_keys).SampleKeys | Should -Be @('5', '6')
        ($orders | Where-Object Check -eq null_watermarks).SampleKeys | Should -Be @('6')
        $declared = $orders | Where-Object Constraint -eq orders_customer_fk
        $declared.SampleKeys | Should -Be @('77', '78')
        $declared.DeclaredIn | Should -Be 'target'
        $configured = $orders | Where-Object Constraint -eq orders_seller
        $configured.Relationship | Should -Be 'orders(seller_id) -> customers(id)'
        $configured.DeclaredIn | Should -Be 'config'
        $configured.SampleKeys | Should -Be @('99')
    }

    It 'shows the key columns in a 120-column console' {
        Assert-TableView $Findings -Width 120 -KeyColumn Table, Check, Count, Constraint, SampleKeys
    }

    It 'takes Table and Source from the pipeline, so findings select the tables to check again' {
        $again = @($Findings | Where-Object Count -gt 0 | Group-Object Source, Table | ForEach-Object { $_.Group[0] } | Test-SfPgIntegrity -ConfigPath $Config)
        $again.Table | Select-Object -Unique | Should -Be 'orders'
        $again.Count | Should -Be 5
        @(Test-SfPgIntegrity -ConfigPath $Config -Table CUSTOMERS | Where-Object Count -ne 0).Count | Should -Be 0
    }

    It 'reports a table it cannot check as a non-terminating error with its code and checks the others' {
        $config = New-IntegrityConfig "[ { `"source`": `"GONE`", `"target`": `"gone`", `"truncate_onstart`": true }, $Customers ]"
        $found = @(Test-SfPgIntegrity -ConfigPath $config -ErrorVariable failures -ErrorAction SilentlyContinue)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SFPG4450*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -BeLike "*public.gone*$Database*"
        $found.Table | Select-Object -Unique | Should -Be 'customers'
    }

    It 'stops with the catalogue code when no table matches or the config is invalid' {
        { Test-SfPgIntegrity -ConfigPath $Config -Table invoices -ErrorAction Stop } |
            Should -Throw -ErrorId 'SFPG4452,SnowPgMigration.PowerShell.Commands.TestSfPgIntegrityCommand'
        $bad = New-IntegrityConfig '[ { "source": "ORDERS", "target": "orders", "truncate_onstart": true, "references": [ { "columns": ["customer_id"], "table": "clients" } ] } ]'
        { Test-SfPgIntegrity -ConfigPath $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'SFPG1070,SnowPgMigration.PowerShell.Commands.TestSfPgIntegrityCommand'
    }
}
