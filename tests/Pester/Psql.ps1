# Shared by the test files: runs SQL through psql against the server of SFPG_TEST_PG (an Npgsql connection string).
function Invoke-Psql([string] $Database, [string] $Sql) {
    $parts = @{}
    foreach ($pair in $env:SFPG_TEST_PG -split ';' | Where-Object { $_ -match '=' }) {
        $key, $value = $pair -split '=', 2
        $parts[$key.Trim().ToLowerInvariant()] = $value.Trim()
    }
    $env:PGHOST = $parts['host']; $env:PGPORT = if ($parts['port']) { $parts['port'] } else { '5432' }
    $env:PGUSER = if ($parts['username']) { $parts['username'] } else { $parts['user id'] }
    $env:PGPASSWORD = $parts['password']
    $output = $Sql | psql -X -q -v ON_ERROR_STOP=1 -At -d $Database 2>&1
    if ($LASTEXITCODE) { throw "psql failed: $output" }
    $output
}
