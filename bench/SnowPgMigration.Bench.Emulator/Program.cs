// Measures reading a 10-column result of N rows (default 1,000,000) from the emulator:
// 1. the emulator's own cost: the statement is run on PostgreSQL, partitioned and spilled by the
//    emulator, then fetched over HTTP with a plain HttpClient (bodies read and counted, not decoded);
// 2. the engine's Snowflake client reading the same statement: every partition fetched (prefetching
//    the next two), every value decoded into .NET values, as a migration reads its source.
//
//   dotnet run -c Release --project bench/SnowPgMigration.Bench.Emulator -- [--rows N] [--partition-rows N] [--wide-columns N] [--pg CONN]
//
// --wide-columns 250 reads the migration benchmark's wide table instead (a bigint key, then numeric(18,4), text
// of 32 characters and bigint in turn).
//
// Without --pg a throwaway PostgreSQL cluster is started.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.LocalPostgres;

var rows = Option("--rows", 1_000_000);
var partitionRows = Option("--partition-rows", 10_000);
var wideColumns = Option("--wide-columns", 0);
var pg = args.SkipWhile(a => a != "--pg").Skip(1).FirstOrDefault();

await using var cluster = pg is null ? await LocalPostgresCluster.StartAsync() : null;
var adminConnection = pg ?? cluster!.ConnectionString("postgres");
var database = "bench_" + Guid.NewGuid().ToString("N")[..8];
await Execute(adminConnection, $"CREATE DATABASE {database}");
var connection = new NpgsqlConnectionStringBuilder(adminConnection) { Database = database }.ConnectionString;
var setup = Stopwatch.StartNew();
var wideSelect = string.Join(", ", Enumerable.Range(1, Math.Max(0, wideColumns - 1)).Select(i => (i % 3) switch
{
    0 => $"((g * {i}) / 100.0)::numeric(18,4) AS c{i:000}",
    1 => $"md5((g + {i})::text) AS c{i:000}",
    _ => $"(g * {i})::bigint AS c{i:000}",
}));
await Execute(connection, wideColumns > 0
    ? $"CREATE TABLE wide AS SELECT g::bigint AS id, {wideSelect} FROM generate_series(1, {rows}) g"
    : $"""
    CREATE TABLE wide AS SELECT g AS id, (g * 1.25)::numeric(18,2) AS amount, g / 7.0::float8 AS ratio,
        'customer ' || g AS name, md5(g::text) AS hash, DATE '2020-01-01' + (g % 2000) AS day,
        TIMESTAMP '2020-01-01' + g * INTERVAL '1 second' AS created, TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '1 minute' AS updated,
        g % 2 = 0 AS flag, (g % 1000)::varchar(36) AS code
    FROM generate_series(1, {rows}) g
    """);
Console.WriteLine($"setup: {rows:N0} rows loaded into PostgreSQL in {setup.Elapsed.TotalSeconds:F1} s");

await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
{
    PostgresConnectionString = connection,
    PartitionRows = partitionRows,
    AsyncThreshold = TimeSpan.FromMinutes(10),
});
using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip }) { BaseAddress = emulator.BaseUri };
http.DefaultRequestHeaders.UserAgent.ParseAdd("sfpg-bench/1.0");

// Warm-up: one statement of three partitions, so just-in-time compilation is not counted as the emulator's CPU.
using (var warmUp = await http.PostAsync("api/v2/statements",
           new StringContent($$"""{"statement":"SELECT * FROM wide ORDER BY id LIMIT {{partitionRows * 3}}"}""", Encoding.UTF8, "application/json")))
{
    using var warmDocument = JsonDocument.Parse(await warmUp.Content.ReadAsByteArrayAsync());
    var warmHandle = warmDocument.RootElement.GetProperty("statementHandle").GetString();
    for (var partition = 1; partition < warmDocument.RootElement.GetProperty("resultSetMetaData").GetProperty("partitionInfo").GetArrayLength(); partition++)
    {
        await http.GetByteArrayAsync($"api/v2/statements/{warmHandle}?partition={partition}");
    }
}

var total = Stopwatch.StartNew();
var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
using var submit = await http.PostAsync("api/v2/statements",
    new StringContent("""{"statement":"SELECT * FROM wide ORDER BY id"}""", Encoding.UTF8, "application/json"));
var first = await submit.Content.ReadAsByteArrayAsync();
var firstResponse = total.Elapsed;
var cpuAtFirstResponse = Process.GetCurrentProcess().TotalProcessorTime;
using var document = JsonDocument.Parse(first);
var handle = document.RootElement.GetProperty("statementHandle").GetString();
var partitions = document.RootElement.GetProperty("resultSetMetaData").GetProperty("partitionInfo").GetArrayLength();
long bytes = first.Length;
long fetched = document.RootElement.GetProperty("data").GetArrayLength();
var buffer = new byte[1 << 16];
for (var partition = 1; partition < partitions; partition++)
{
    using var response = await http.GetAsync($"api/v2/statements/{handle}?partition={partition}", HttpCompletionOption.ResponseHeadersRead);
    await using var body = await response.Content.ReadAsStreamAsync();
    int read;
    while ((read = await body.ReadAsync(buffer)) > 0)
    {
        bytes += read;
        fetched += buffer.AsSpan(0, read).Count((byte)'\n'); // rows are separated by ",\n"
    }

    fetched++; // the last row of a partition has no newline after it
}

var elapsed = total.Elapsed;
var cpuAtEnd = Process.GetCurrentProcess().TotalProcessorTime;
Console.WriteLine($"statement run, encoded and spilled (first response): {firstResponse.TotalSeconds:F2} s");
Console.WriteLine($"all {partitions} partitions fetched: {elapsed.TotalSeconds:F2} s, {fetched:N0} rows, {bytes / 1e6:F0} MB JSON");
Console.WriteLine($"throughput: {rows / elapsed.TotalSeconds:N0} rows/s end to end; {rows / (elapsed - firstResponse).TotalSeconds:N0} rows/s for the partition fetches alone");
// This process's CPU: the emulator reading, encoding and compressing, then serving (the plain HttpClient's share is small).
Console.WriteLine($"emulator cpu: {(cpuAtFirstResponse - cpuAtStart).TotalMicroseconds / rows:F2} µs/row to run and encode, " +
                  $"{(cpuAtEnd - cpuAtFirstResponse).TotalMicroseconds / rows:F2} µs/row to serve the partitions");

using var client = SnowflakeClient.Create(new SnowflakeSettings
{
    Account = "bench",
    User = "bench",
    Authenticator = "PROGRAMMATIC_ACCESS_TOKEN",
    Token = "bench",
    Host = emulator.BaseUri.Host,
    Port = emulator.BaseUri.Port,
    Scheme = "http",
});
var clientClock = Stopwatch.StartNew();
var result = await client.ExecuteAsync(new SnowflakeStatement("SELECT * FROM wide ORDER BY id"));
var clientFirst = clientClock.Elapsed;
long decoded = 0;
long nonNull = 0;
await foreach (var row in result.ReadRowsAsync())
{
    decoded++;
    foreach (var value in row)
    {
        if (value is not null)
        {
            nonNull++;
        }
    }
}

var clientElapsed = clientClock.Elapsed;
Console.WriteLine($"client read: {decoded:N0} rows, {nonNull:N0} values decoded in {clientElapsed.TotalSeconds:F2} s " +
                  $"(first response {clientFirst.TotalSeconds:F2} s): {decoded / clientElapsed.TotalSeconds:N0} rows/s end to end, " +
                  $"{decoded / (clientElapsed - clientFirst).TotalSeconds:N0} rows/s once the statement has run");
Console.WriteLine($"peak working set of this process (emulator + client): {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
return fetched == rows && decoded == rows ? 0 : 1;

int Option(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static async Task Execute(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}
