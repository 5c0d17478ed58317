// End-to-end migration benchmark: the real sfpg process copies a table from the emulator into
// PostgreSQL, measured against the local limit (PostgreSQL COPY TO STDOUT piped into COPY FROM STDIN
// of the same table), with the migration process's peak memory (VmHWM) sampled from /proc.
//
//   dotnet run -c Release --project bench/SnowPgMigration.Bench.Migration -- \
//       [--rows 2000000] [--batch 100000] [--workers 4] [--wide-rows 100000] [--wide-columns 250] \
//       [--wide-workers 4] [--wide-batch 2500] [--wide-inline] [--skip-wide] [--skip-upsert] [--skip-deep] [--profile] [--sfpg-env NAME=VALUE] [--sfpg-log] [--sfpg PATH/sfpg.dll] [--baseline-sfpg PATH/sfpg.dll] [--pg CONN]
//       [--unload [--unload-threads 1]]
//
// Without --pg a throwaway PostgreSQL cluster is started. The emulator runs inside this process. --unload measures the
// unload path instead (Azurite started here): both tables with 1, 2 and 4 sfpg processes sharing one run.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.LocalAzurite;
using SnowPgMigration.LocalPostgres;

var c = CultureInfo.InvariantCulture;
var rows = Option("--rows", 2_000_000);
var batch = Option("--batch", 100_000);
var workers = Option("--workers", 4);
var wideColumns = Option("--wide-columns", 250);
var wideWorkers = Option("--wide-workers", 4);
var wideBatch = Option("--wide-batch", 2_500);
var wideRows = (Text("--wide-rows") ?? "100000").Split(',').Select(r => int.Parse(r, c)).ToList();
var skipWide = args.Contains("--skip-wide");
// --wide-inline: the wide target (and the COPY pipe's copy of it) keeps rows of up to a page inline, untoasted.
const string InlineRows = "WITH (toast_tuple_target = 8160)";
var wideStorage = args.Contains("--wide-inline") ? InlineRows : "";
var sfpg = Text("--sfpg") ?? FindSfpg();
// Another build of sfpg (e.g. the previous commit's) run just before each sfpg load, so both see the same machine load.
var baselineSfpg = Text("--baseline-sfpg");
var unload = args.Contains("--unload");
// Workers per sfpg process in the unload mode: one, so that the processes are the parallelism measured.
var unloadThreads = Option("--unload-threads", 1);

await using var cluster = Text("--pg") is null ? await LocalPostgresCluster.StartAsync() : null;
var admin = Text("--pg") ?? cluster!.ConnectionString("postgres");
var id = Guid.NewGuid().ToString("N")[..8];
var warehouse = $"BENCH_WH_{id}".ToUpperInvariant();
var target = $"bench_target_{id}";
await Execute(admin, $"CREATE DATABASE {PgIdentifier.Quote(warehouse)}");
await Execute(admin, $"CREATE DATABASE {PgIdentifier.Quote(target)}");
var warehouseConnection = new NpgsqlConnectionStringBuilder(admin) { Database = warehouse }.ConnectionString;
var targetConnection = new NpgsqlConnectionStringBuilder(admin) { Database = target }.ConnectionString;

const string TenColumns = """
    "ID" bigint, "AMOUNT" numeric(18,2), "RATIO" double precision, "NAME" text, "HASH" text, "DAY" date,
    "CREATED" timestamp, "UPDATED" timestamptz, "FLAG" boolean, "CODE" varchar(36)
    """;
var setup = Stopwatch.StartNew();
await Execute(warehouseConnection, $"""
    CREATE SCHEMA "PUBLIC";
    CREATE TABLE "PUBLIC"."TEN" ({TenColumns});
    INSERT INTO "PUBLIC"."TEN"
    SELECT g, (g * 1.25)::numeric(18,2), g / 7.0::float8, 'customer ' || g, md5(g::text), DATE '2020-01-01' + (g % 2000),
           TIMESTAMP '2020-01-01' + g * INTERVAL '1 second', TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '1 minute', g % 2 = 0, (g % 1000)::varchar(36)
    FROM generate_series(1, {rows}) g;
    ANALYZE "PUBLIC"."TEN";
    """);
await Execute(targetConnection, $"CREATE TABLE ten ({TenColumns.ToLowerInvariant()}, PRIMARY KEY (id))");
Console.WriteLine(string.Format(c, "setup: {0:N0} rows x 10 columns in the warehouse in {1:F1} s", rows, setup.Elapsed.TotalSeconds));

await using var azurite = unload ? await AzuriteServer.StartAsync() : null;
await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
{
    PostgresConnectionString = admin,
    AsyncThreshold = TimeSpan.FromMinutes(10),
    AzureBlobEndpoint = azurite is null ? null : $"http://127.0.0.1:{azurite.Port}",
});

if (azurite is not null)
{
    return await UnloadScaling(azurite);
}

var tenConfig = WriteConfig("ten", $$"""
    [ { "source": "TEN", "target": "ten", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"] } ]
    """, workers, batch);

// The emulator runs in this process: warmed up first, its just-in-time compilation is not counted as the first
// load's emulator CPU (and a --baseline-sfpg run does not warm it up for the build measured after it).
await WarmUpEmulator(tenConfig);

// 1. Full load: the target is empty, so binary COPY.
var tenBaseline = baselineSfpg is null ? null : await RunSfpg(tenConfig, baselineSfpg);
if (tenBaseline is not null)
{
    await Require(targetConnection, "SELECT count(*) FROM ten", rows);
    await Execute(targetConnection, "TRUNCATE ten");
}

var full = await RunSfpg(tenConfig);
await Require(targetConnection, "SELECT count(*) FROM ten", rows);

// Where the time goes: one statement over the whole table, read alone, then converted and checksummed, then COPYed.
if (args.Contains("--profile"))
{
    await Profile(tenConfig);
}

// 2. Upsert: every source row changed, the target already has them all.
await Execute(warehouseConnection, """UPDATE "PUBLIC"."TEN" SET "AMOUNT" = "AMOUNT" + 1, "NAME" = "NAME" || '*'""");
await Execute(warehouseConnection, """VACUUM ANALYZE "PUBLIC"."TEN" """);
var skipUpsert = args.Contains("--skip-upsert");
var upsert = skipUpsert ? null : await RunSfpg(tenConfig);
if (!skipUpsert)
{
    await Require(targetConnection, "SELECT count(*) FROM ten WHERE name LIKE '%*'", rows);
}

// 3. The local limit: the same rows through PostgreSQL's own binary COPY, out of one table and into an identical one.
await Execute(targetConnection, "CREATE TABLE ten_limit (LIKE ten INCLUDING ALL)");
var limit = await CopyThroughClient(targetConnection, "ten", "ten_limit");
await Require(targetConnection, "SELECT count(*) FROM ten_limit", rows);

Console.WriteLine();
Console.WriteLine(string.Format(c, "{0:N0} rows x 10 columns, {1} workers, batch_size {2:N0}", rows, workers, batch));
Console.WriteLine(string.Format(c, "  {0,-48} {1,8} {2,12} {3,9} {4,8} {5,9} {6,9}", "", "seconds", "rows/s", "of limit", "peak MB", "sfpg cpu", "emul. cpu"));
Report("full load (sfpg migrate, binary COPY)", full.Seconds, full);
if (upsert is not null)
{
    Report("upsert (sfpg migrate, staged COPY + merge)", upsert.Seconds, upsert);
}

Report("local limit (COPY TO STDOUT -> COPY FROM STDIN)", limit, null);
Console.WriteLine("  (cpu: seconds of CPU used by the sfpg process and by the emulator serving it; PostgreSQL's share is the rest)");
var summary = new List<string> { Summary($"{rows:N0} x 10", rows, 10, full, limit) };
if (tenBaseline is not null)
{
    summary.Add(Summary("  baseline sfpg", rows, 10, tenBaseline, limit));
}

var failed = full.ExitCode != 0 || upsert?.ExitCode is not (null or 0);
if (!args.Contains("--skip-deep"))
{
    failed |= !await DeepCompare(tenConfig);
}

if (!skipWide)
{
    // 4. Wide rows: peak memory must not grow with the table (invariant 6).
    var maxWide = wideRows.Max();
    var columns = await CreateWide(maxWide);
    Console.WriteLine(string.Format(c, "wide table: {0} columns, {1} workers, batch_size {2:N0}", wideColumns, wideWorkers, wideBatch));
    Console.WriteLine(string.Format(c, "  {0,10} {1,7} {2,8} {3,12} {4,10} {5,9} {6,9}", "rows", "chunks", "seconds", "rows/s", "peak MB", "sfpg cpu", "emul. cpu"));
    foreach (var n in wideRows)
    {
        var config = WriteConfig($"wide{n}", $$"""
            [ { "source": "WIDE", "target": "wide", "source_filter": "\"ID\" <= {{n}}", "truncate_onstart": true,
                "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]
            """, wideWorkers, wideBatch);
        var wideBaseline = baselineSfpg is not null && n == maxWide ? await RunSfpg(config, baselineSfpg) : null;
        var wide = await RunSfpg(config);
        await Require(targetConnection, "SELECT count(*) FROM wide", n);
        failed |= wide.ExitCode != 0;
        Console.WriteLine(string.Format(c, "  {0,10:N0} {1,7:N0} {2,8:F1} {3,12:N0} {4,10:N0} {5,9:F1} {6,9:F1}",
            n, (n + wideBatch - 1) / wideBatch, wide.Seconds, n / wide.Seconds, wide.PeakBytes / 1e6, wide.SfpgCpu.TotalSeconds, wide.EmulatorCpu.TotalSeconds));
        if (n == maxWide)
        {
            // The local limit of the same rows, right after sfpg loaded them, so both see the same machine load.
            await Execute(targetConnection, $"DROP TABLE IF EXISTS wide_limit; CREATE TABLE wide_limit (LIKE wide INCLUDING ALL) {wideStorage}");
            var wideLimit = await CopyThroughClient(targetConnection, "wide", "wide_limit");
            await Require(targetConnection, "SELECT count(*) FROM wide_limit", n);
            Console.WriteLine(string.Format(c, "  {0,10:N0} local limit (COPY TO STDOUT -> COPY FROM STDIN) {1,8:F1} s {2,12:N0} rows/s", n, wideLimit, n / wideLimit));
            // sfpg ends a load with ANALYZE (the finish phase above); the pipe does not. Its cost on the same rows:
            var analyze = Stopwatch.StartNew();
            await Execute(targetConnection, "ANALYZE wide_limit");
            Console.WriteLine(string.Format(c, "  {0,10:N0} ANALYZE of the pipe's table                          {1,8:F1} s", n, analyze.Elapsed.TotalSeconds));

            // Where a wide row's time goes in PostgreSQL: the same COPY into a table whose columns are never compressed
            // or moved out of line. A 250-column row is over the 2 kB TOAST threshold, so PostgreSQL tries each
            // text and numeric value for compression on every row.
            var plainColumns = string.Join(", ", columns.Where(x => x.Item2 != "bigint").Select(x => $"ALTER COLUMN {x.Item1.ToLowerInvariant()} SET STORAGE PLAIN"));
            await Execute(targetConnection, $"DROP TABLE IF EXISTS wide_plain; CREATE TABLE wide_plain (LIKE wide INCLUDING ALL); ALTER TABLE wide_plain {plainColumns}");
            var plainLimit = await CopyThroughClient(targetConnection, "wide", "wide_plain");
            await Require(targetConnection, "SELECT count(*) FROM wide_plain", n);
            Console.WriteLine(string.Format(c, "  {0,10:N0} same, into columns of STORAGE PLAIN (no TOAST)   {1,8:F1} s {2,12:N0} rows/s", n, plainLimit, n / plainLimit));

            // The same without touching the columns: rows of up to a page stay inline (and uncompressed), larger ones are still toasted.
            await Execute(targetConnection, $"DROP TABLE IF EXISTS wide_inline; CREATE TABLE wide_inline (LIKE wide INCLUDING ALL) {InlineRows}");
            var inlineLimit = await CopyThroughClient(targetConnection, "wide", "wide_inline");
            await Require(targetConnection, "SELECT count(*) FROM wide_inline", n);
            analyze.Restart();
            await Execute(targetConnection, "ANALYZE wide_inline");
            Console.WriteLine(string.Format(c, "  {0,10:N0} same, into a table {1} {2,8:F1} s {3,12:N0} rows/s; ANALYZE {4:F1} s",
                n, InlineRows, inlineLimit, n / inlineLimit, analyze.Elapsed.TotalSeconds));
            summary.Add(Summary($"{n:N0} x {wideColumns}", n, wideColumns, wide, wideLimit));
            if (wideBaseline is not null)
            {
                summary.Add(Summary("  baseline sfpg", n, wideColumns, wideBaseline, wideLimit));
            }
        }
    }
}

// The issue 17 figures side by side: CPU per row is the stable figure on a shared machine; the ratio is taken within this run.
Console.WriteLine();
Console.WriteLine(string.Format(c, "{0,-18} {1,12} {2,12} {3,6} {4,11} {5,13} {6,11} {7,8} {8,12} {9,6} {10,7} {11,8}",
    "table (rows x col)", "sfpg rows/s", "COPY rows/s", "ratio", "sfpg us/row", "sfpg us/value", "emul us/row", "peak MB",
    "chunks r/s", "ratio", "start s", "finish s"));
summary.ForEach(Console.WriteLine);
Console.WriteLine("  (chunks r/s and its ratio: rows/s from the first chunk's claim to the last chunk's commit; start s: the process's start");
Console.WriteLine("   and planning; finish s: the table's verification against the source and its ANALYZE, after the last commit)");

DeleteConfigs();
return failed ? 1 : 0;

// The unload path (issue 19): each table unloaded by the emulator's COPY INTO into the Azurite stage and loaded by 1, 2
// and 4 sfpg processes sharing one run (the first migrate, the others migrate --join), next to the SQL API path (one
// process, the same workers) and the COPY pipe, all measured in this run.
async Task<int> UnloadScaling(AzuriteServer stage)
{
    const string Container = "bench";
    const string Prefix = "stage";
    using var http = new HttpClient();
    var blobs = await stage.ClientAsync(http, Container, Prefix);
    var stageSettings = $$"""

          "stage": { "url": "{{AzuriteServer.StageUrl(Container, Prefix)}}", "endpoint": "{{stage.Endpoint}}",
                     "sas_token": "{{AzuriteServer.SasText(TimeSpan.FromDays(1))}}", "max_file_size": 1048576 },
        """;
    var wideCount = wideRows.Max();
    await CreateWide(wideCount);
    var lines = new List<string>();
    var ok = true;
    foreach (var (name, source, count, columnCount, batchSize) in new[] { ("ten", "TEN", rows, 10, batch), ("wide", "WIDE", wideCount, wideColumns, wideBatch) })
    {
        var tables = $$"""[ { "source": "{{source}}", "target": "{{name}}", "truncate_onstart": true, "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";
        var sqlApi = await RunSfpg(WriteConfig($"{name}-sql-api", tables, unloadThreads, batchSize));
        await Require(targetConnection, $"SELECT count(*) FROM {name}", count);
        ok &= sqlApi.ExitCode == 0;
        await Execute(targetConnection, $"DROP TABLE IF EXISTS {name}_limit; CREATE TABLE {name}_limit (LIKE {name} INCLUDING ALL)");
        var pipeSeconds = await CopyThroughClient(targetConnection, name, $"{name}_limit");
        await Require(targetConnection, $"SELECT count(*) FROM {name}_limit", count);

        var config = WriteConfig($"{name}-unload", tables.Replace("\"truncate_onstart\"", "\"extract\": \"unload\", \"truncate_onstart\"", StringComparison.Ordinal), unloadThreads, batchSize, stageSettings);
        double? oneProcess = null;
        foreach (var processes in new[] { 1, 2, 4 })
        {
            var azuriteBefore = stage.ProcessId is { } before ? CpuTime(before) : null;
            var run = await RunSfpgProcesses(config, processes);
            var azuriteCpu = stage.ProcessId is { } after && CpuTime(after) is { } used && azuriteBefore is { } start ? used - start : TimeSpan.Zero;
            await Require(targetConnection, $"SELECT count(*) FROM {name}", count);
            const string LatestRun = "(SELECT run_id FROM migration_status.migration_runs ORDER BY started_at DESC LIMIT 1)";
            var files = await Scalar(targetConnection, $"SELECT count(*) FROM migration_status.migration_unload_files WHERE run_id = {LatestRun}");
            var loaders = await Scalar(targetConnection, $"SELECT count(DISTINCT split_part(worker_id, ':', 2)) FROM migration_status.migration_unload_files WHERE run_id = {LatestRun}");
            var left = (await blobs.ListAsync(Prefix + "/", CancellationToken.None)).Count;
            ok &= run.ExitCode == 0 && left == 0;
            var rowsPerSecond = count / run.Seconds;
            oneProcess ??= rowsPerSecond;
            lines.Add(string.Format(c, "{0,-16} {1,5} {2,8:F1} {3,10:N0} {4,7:F2} {5,12:N0} {6,12:N0} {7,9:F1} {8,9:F1} {9,9:F1} {10,8:N0} {11,6:N0} {12,7:N0} {13,10:F1} {14,10:F1} {15,8:N0}",
                $"{count:N0} x {columnCount}", processes, run.Seconds, rowsPerSecond, rowsPerSecond / oneProcess, count / sqlApi.Seconds, count / pipeSeconds,
                run.SfpgCpu.TotalMicroseconds / count, run.EmulatorCpu.TotalMicroseconds / count, azuriteCpu.TotalMicroseconds / count, run.PeakBytes / 1e6, files, loaders,
                sqlApi.SfpgCpu.TotalMicroseconds / count, sqlApi.EmulatorCpu.TotalMicroseconds / count, sqlApi.PeakBytes / 1e6));
        }
    }

    Console.WriteLine();
    Console.WriteLine(string.Format(c, "unload path: {0} worker(s) per sfpg process; SQL API path: one process with as many; files of at most 1 MB", unloadThreads));
    Console.WriteLine(string.Format(c, "{0,-16} {1,5} {2,8} {3,10} {4,7} {5,12} {6,12} {7,9} {8,9} {9,9} {10,8} {11,6} {12,7} {13,10} {14,10} {15,8}",
        "table (rows x col)", "procs", "seconds", "rows/s", "speedup", "SQL API r/s", "COPY r/s", "sfpg us/r", "emul us/r", "azur us/r", "peak MB", "files", "loaders",
        "API sfpg", "API emul", "API MB"));
    lines.ForEach(Console.WriteLine);
    Console.WriteLine("  (sfpg us/r: CPU of all sfpg processes per row; peak MB: the largest process's; loaders: processes that loaded files;");
    Console.WriteLine("   API sfpg, API emul, API MB: the same figures of the SQL API path's one process)");
    DeleteConfigs();
    return ok ? 0 : 1;
}

// The config files this run wrote (the logs --sfpg-log keeps beside them stay).
void DeleteConfigs()
{
    foreach (var file in Directory.GetFiles(Path.GetTempPath(), $"sfpg-bench-{id}-*.json"))
    {
        File.Delete(file);
    }
}

void Report(string what, double seconds, Measured? run) =>
    Console.WriteLine(string.Format(c, "  {0,-48} {1,8:F1} {2,12:N0} {3,9:P0} {4,8} {5,9} {6,9}",
        what, seconds, rows / seconds, limit > 0 ? limit / seconds : double.NaN,
        run is null ? "-" : (run.PeakBytes / 1e6).ToString("N0", c),
        run is null ? "-" : run.SfpgCpu.TotalSeconds.ToString("F1", c),
        run is null ? "-" : run.EmulatorCpu.TotalSeconds.ToString("F1", c)));

string Summary(string table, long count, int columnCount, Measured run, double limitSeconds) =>
    string.Format(c, "{0,-18} {1,12:N0} {2,12:N0} {3,6:F2} {4,11:F2} {5,13:F3} {6,11:F2} {7,8:N0} {8,12:N0} {9,6:F2} {10,7:F1} {11,8:F1}",
        table, count / run.Seconds, count / limitSeconds, limitSeconds / run.Seconds,
        run.SfpgCpu.TotalMicroseconds / count, run.SfpgCpu.TotalMicroseconds / count / columnCount,
        run.EmulatorCpu.TotalMicroseconds / count, run.PeakBytes / 1e6,
        count / run.Phases.Chunks, limitSeconds / run.Phases.Chunks, run.Phases.Start + run.Phases.Plan, run.Phases.Finish);

// The wide table in the warehouse (rows 1..n) and its empty target: a bigint key, then numeric(18,4), text and bigint in turn.
async Task<List<(string Name, string Type, string Value)>> CreateWide(int n)
{
    var columns = Enumerable.Range(1, wideColumns - 1).Select(i => (i % 3) switch
    {
        0 => ($"C{i:000}", "numeric(18,4)", $"(g * {i}) / 100.0"),
        1 => ($"C{i:000}", "text", $"md5((g + {i})::text)"),
        _ => ($"C{i:000}", "bigint", $"g * {i}"),
    }).ToList();
    setup.Restart();
    await Execute(warehouseConnection, $"""
        CREATE TABLE "PUBLIC"."WIDE" ("ID" bigint, {string.Join(", ", columns.Select(x => $"\"{x.Item1}\" {x.Item2}"))});
        INSERT INTO "PUBLIC"."WIDE" SELECT g, {string.Join(", ", columns.Select(x => x.Item3))} FROM generate_series(1, {n}) g;
        ANALYZE "PUBLIC"."WIDE";
        """);
    await Execute(targetConnection, $"CREATE TABLE wide (id bigint, {string.Join(", ", columns.Select(x => $"{x.Item1.ToLowerInvariant()} {x.Item2}"))}) {wideStorage}");
    Console.WriteLine();
    Console.WriteLine(string.Format(c, "setup: {0:N0} rows x {1} columns in {2:F1} s", n, wideColumns, setup.Elapsed.TotalSeconds));
    return columns;
}

string WriteConfig(string name, string tables, int threads, int batchSize, string rootSettings = "")
{
    var pg = new NpgsqlConnectionStringBuilder(admin);
    var path = Path.Combine(Path.GetTempPath(), $"sfpg-bench-{id}-{name}.json");
    File.WriteAllText(path, $$"""
        {
          "snowflake": { "account": "bench", "user": "bench", "token": "any", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
                         "host": "{{emulator.BaseUri.Host}}", "port": {{emulator.BaseUri.Port}}, "scheme": "http" },
          "postgres": { "host": "{{pg.Host}}", "port": {{pg.Port}}, "user": "{{pg.Username}}" },{{rootSettings}}
          "parallel_threads": {{threads}},
          "batch_size": {{batchSize}},
          "sources": [ { "source_name": "bench", "source_sf_database": "\"{{warehouse}}\"", "source_sf_schema": "\"PUBLIC\"",
                         "target_pg_database": "{{target}}", "target_pg_schema": "public", "tables": {{tables}} } ]
        }
        """);
    return path;
}

Task<Measured> RunSfpg(string config, string? sfpgDll = null) => RunSfpgProcesses(config, 1, sfpgDll);

// One sfpg migrate, and processes - 1 more that join its run (migrate --join) once it is running. Peak memory is the
// largest of the processes', CPU their sum; the time runs from the first start to the last exit.
async Task<Measured> RunSfpgProcesses(string config, int processes, string? sfpgDll = null)
{
    var emulatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    string[] logging = args.Contains("--sfpg-log") ? ["--verbose", "--log-format", "json"] : [];
    var running = new List<(Process Process, Task<string> Output, Task<string> Error)> { StartSfpg(sfpgDll, ["migrate", "--config", config, "--no-resume", .. logging]) };
    if (processes > 1)
    {
        var runId = await RunningRun(running[0].Process);
        running.AddRange(Enumerable.Range(1, processes - 1).Select(_ => StartSfpg(sfpgDll, ["migrate", "--config", config, "--join", runId, .. logging])));
    }

    var peak = new long[running.Count];
    var cpu = new TimeSpan[running.Count];
    var backends = new PostgresBackendCpu();
    await backends.RefreshAsync(admin);
    for (var sample = 1; running.Any(r => !r.Process.HasExited); sample++)
    {
        for (var i = 0; i < running.Count; i++)
        {
            if (!running[i].Process.HasExited)
            {
                peak[i] = Math.Max(peak[i], PeakResidentBytes(running[i].Process.Id));
                cpu[i] = CpuTime(running[i].Process.Id) is { } used && used > cpu[i] ? used : cpu[i];
            }
        }

        backends.Sample();
        if (sample % 20 == 0)
        {
            await backends.RefreshAsync(admin);
        }

        await Task.Delay(50);
    }

    backends.Sample();
    var seconds = clock.Elapsed.TotalSeconds;
    var exitCode = 0;
    foreach (var (process, output, error) in running)
    {
        await process.WaitForExitAsync();
        if (logging.Length > 0)
        {
            File.WriteAllText($"{config}.{process.Id}.log", await error);
        }

        if (process.ExitCode != 0)
        {
            exitCode = process.ExitCode;
            Console.Error.WriteLine($"sfpg exited {process.ExitCode}:\n{await output}\n{await error}");
        }

        process.Dispose();
    }

    var measured = new Measured(exitCode, seconds, peak.Max(), cpu.Aggregate(TimeSpan.Zero, (sum, t) => sum + t), Process.GetCurrentProcess().TotalProcessorTime - emulatorCpu,
        await RunPhases(seconds));
    // Where the load's core-seconds went: sfpg, the emulator, and PostgreSQL serving each side.
    Console.WriteLine(string.Format(c, "  (cpu s: sfpg {0:F1}, emulator {1:F1}, PostgreSQL source {2:F1}, PostgreSQL target {3:F1}; {4:F1} s on {5} cores)",
        measured.SfpgCpu.TotalSeconds, measured.EmulatorCpu.TotalSeconds, backends.Seconds(warehouse), backends.Seconds(target), seconds, Environment.ProcessorCount));
    // Where its wall-clock time went, from the run's own status rows.
    Console.WriteLine(string.Format(c, "  (phases s: start {0:F1}, plan {1:F1}, chunks {2:F1}, verify and ANALYZE {3:F1})",
        measured.Phases.Start, measured.Phases.Plan, measured.Phases.Chunks, measured.Phases.Finish));
    return measured;
}

// The latest run's phases, from its status rows: the process start to the run's start, the run's start to its first
// chunk claim (planning), the first claim to the last chunk's commit, and that commit to the run's end (the table's
// verification against the source and its ANALYZE).
async Task<Phases> RunPhases(double seconds)
{
    await using var connection = new NpgsqlConnection(targetConnection);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("""
        SELECT extract(epoch FROM r.completed_at - r.started_at)::float8,
               extract(epoch FROM min(ch.started_at) - r.started_at)::float8,
               extract(epoch FROM max(ch.completed_at) - min(ch.started_at))::float8,
               extract(epoch FROM r.completed_at - max(ch.completed_at))::float8
        FROM migration_status.migration_runs r
        JOIN migration_status.migration_chunk_status ch ON ch.run_id = r.run_id
        WHERE r.run_id = (SELECT run_id FROM migration_status.migration_runs ORDER BY started_at DESC LIMIT 1)
        GROUP BY r.run_id, r.started_at, r.completed_at
        """, connection);
    await using var reader = await command.ExecuteReaderAsync();
    if (!await reader.ReadAsync())
    {
        return new Phases(double.NaN, double.NaN, double.NaN, double.NaN);
    }

    double At(int i) => reader.IsDBNull(i) ? double.NaN : reader.GetDouble(i); // a failed run has no end
    return new Phases(seconds - At(0), At(1), At(2), At(3));
}

(Process Process, Task<string> Output, Task<string> Error) StartSfpg(string? sfpgDll, params string[] arguments)
{
    var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    foreach (var setting in args.Select((a, i) => (a, i)).Where(x => x.a == "--sfpg-env").Select(x => args[x.i + 1]))
    {
        // e.g. --sfpg-env DOTNET_GCHeapHardLimit=0x20000000: caps the migration's heap to show its working set is garbage, not live data.
        start.Environment[setting[..setting.IndexOf('=')]] = setting[(setting.IndexOf('=') + 1)..];
    }

    start.ArgumentList.Add(sfpgDll ?? sfpg);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    var process = Process.Start(start)!;
    return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
}

// The run the owner process opened, as soon as it is running (the status schema may not exist before it starts).
async Task<string> RunningRun(Process owner)
{
    while (!owner.HasExited)
    {
        try
        {
            await using var connection = new NpgsqlConnection(targetConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT run_id::text FROM migration_status.migration_runs WHERE status = 'running' ORDER BY started_at DESC LIMIT 1", connection);
            if (await command.ExecuteScalarAsync() is string runId)
            {
                return runId;
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
        }

        await Task.Delay(50);
    }

    throw new InvalidOperationException($"sfpg exited {owner.ExitCode} before its run could be joined.");
}

// utime + stime of a running process, in clock ticks (100 per second on Linux).
static TimeSpan? CpuTime(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
    catch (IOException)
    {
        return null;
    }
}

async Task WarmUpEmulator(string configPath)
{
    var config = SnowPgMigration.Engine.Config.ConfigLoader.Load(configPath).GetConfigOrThrow();
    using var client = SnowPgMigration.Engine.Snowflake.SnowflakeClient.Create(config.Snowflake);
    var result = await client.ExecuteAsync(new SnowPgMigration.Engine.Snowflake.SnowflakeStatement(
        $"SELECT * FROM {PgIdentifier.Quote(warehouse)}.\"PUBLIC\".\"TEN\" ORDER BY \"ID\" LIMIT 100000"));
    await foreach (var _ in result.ReadRowsAsync())
    {
    }
}

async Task Profile(string configPath)
{
    var config = SnowPgMigration.Engine.Config.ConfigLoader.Load(configPath).GetConfigOrThrow();
    var source = config.Sources[0];
    using var client = SnowPgMigration.Engine.Snowflake.SnowflakeClient.Create(config.Snowflake);
    var snowflake = new SnowPgMigration.Engine.Execution.SnowflakeSource(client, source.SourceSfDatabase, source.SourceSfSchema, null, null);
    var table = new SnowPgMigration.Engine.Snowflake.SnowflakeTableName(source.SourceSfDatabase, source.SourceSfSchema, "TEN");
    var described = await snowflake.DescribeAsync(table, CancellationToken.None);
    var sql = SnowPgMigration.Engine.Execution.ChunkSql.Select(table, described.Select(d => d.Name).ToList(), "1 = 1", null);
    await Execute(targetConnection, "CREATE TABLE ten_profile (LIKE ten INCLUDING ALL)");
    await using var connection = new NpgsqlConnection(targetConnection);
    await connection.OpenAsync();
    var targetColumns = await TargetTableInspector.ColumnsAsync(connection, "public", "ten_profile", CancellationToken.None);
    var conversions = targetColumns.Select(t => ColumnConversion.For(t)!).ToList();

    var clock = Stopwatch.StartNew();
    long count = 0;
    await foreach (var row in snowflake.QueryAsync(sql, CancellationToken.None))
    {
        count++;
    }

    var read = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var checksum = new SnowPgMigration.Engine.Verification.RowChecksum();
    var converted = new object?[conversions.Count];
    await foreach (var row in snowflake.QueryAsync(sql, CancellationToken.None))
    {
        for (var i = 0; i < conversions.Count; i++)
        {
            converted[i] = row[i] is { } value ? conversions[i].Convert(value) : null;
        }

        checksum.AddRow(converted);
    }

    var convert = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var writer = new TargetTableWriter("public", "ten_profile", LoadMethod.Copy, conversions, Enumerable.Range(0, conversions.Count).ToList(), [], null);
    await using (var transaction = await connection.BeginTransactionAsync())
    {
        await writer.WriteAsync(connection, snowflake.QueryAsync(sql, CancellationToken.None), CancellationToken.None);
        await transaction.CommitAsync();
    }

    var copy = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Format(c, "profile, one statement, one thread, {0:N0} rows:", count));
    Console.WriteLine(string.Format(c, "  source read (HTTP, gzip, JSON, decode)        {0,6:F1} s {1,10:N0} rows/s", read, count / read));
    Console.WriteLine(string.Format(c, "  + conversion + row checksum                   {0,6:F1} s {1,10:N0} rows/s", convert, count / convert));
    Console.WriteLine(string.Format(c, "  + binary COPY into an empty table (the writer) {0,6:F1} s {1,10:N0} rows/s", copy, count / copy));
}

// Deep comparison (the engine of verify --deep): three target rows deleted and one changed, then found by key,
// once bisecting by counts only (ranges whose counts agree are not streamed) and once merging every row of both sides.
async Task<bool> DeepCompare(string configPath)
{
    await Execute(targetConnection, "DELETE FROM ten WHERE id IN (17, 1000001, 1999999); UPDATE ten SET amount = amount + 0.01 WHERE id = 500000");
    var config = SnowPgMigration.Engine.Config.ConfigLoader.Load(configPath).GetConfigOrThrow();
    var source = config.Sources[0];
    using var client = SnowPgMigration.Engine.Snowflake.SnowflakeClient.Create(config.Snowflake);
    var snowflake = new SnowPgMigration.Engine.Execution.SnowflakeSource(client, source.SourceSfDatabase, source.SourceSfSchema, null, null);
    await using var dataSource = TargetConnection.CreateDataSource(targetConnection);
    var table = await SnowPgMigration.Engine.Verification.KeyedTable.ResolveAsync(snowflake, dataSource, source, source.Tables[0], CancellationToken.None);
    var ok = true;
    Console.WriteLine();
    Console.WriteLine(string.Format(c, "deep comparison of {0:N0} rows x 10 columns (3 target rows deleted, 1 changed), in process", rows));
    Console.WriteLine(string.Format(c, "  {0,-48} {1,8} {2,12} {3,14} {4,8} {5,8} {6,8}", "", "seconds", "table rows/s", "rows streamed", "missing", "extra", "changed"));
    foreach (var (what, options) in new[]
    {
        ("bisected by counts (ranges of 50,000 rows)", new SnowPgMigration.Engine.Verification.KeyedComparisonOptions { CountsProveEqual = true }),
        ("every row merged (key + row hash, both sides)", new SnowPgMigration.Engine.Verification.KeyedComparisonOptions()),
    })
    {
        var result = await new SnowPgMigration.Engine.Verification.KeyedComparison(table, options).CompareTableAsync(CancellationToken.None);
        var seconds = result.Elapsed.TotalSeconds;
        Console.WriteLine(string.Format(c, "  {0,-48} {1,8:F1} {2,12:N0} {3,14:N0} {4,8:N0} {5,8:N0} {6,8:N0}",
            what, seconds, rows / seconds, result.RowsCompared, result.Missing, result.Extra, result.Changed));
        ok &= result.Missing == 3 && result.Extra == 0 && result.Changed == (options.CountsProveEqual ? 0 : 1);
    }

    Console.WriteLine("  (counts alone cannot see a changed value: verify's checksums find such ranges, the merge their keys)");
    return ok;
}

// VmHWM: the process's peak resident set, kept by the kernel; sampled until the process exits.
static long PeakResidentBytes(int pid)
{
    try
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
    }
    catch (IOException)
    {
    }

    return 0;
}

static async Task<double> CopyThroughClient(string connectionString, string from, string to)
{
    await using var reading = new NpgsqlConnection(connectionString);
    await using var writing = new NpgsqlConnection(connectionString);
    await reading.OpenAsync();
    await writing.OpenAsync();
    var clock = Stopwatch.StartNew();
    await using (var source = await reading.BeginRawBinaryCopyAsync($"COPY {from} TO STDOUT (FORMAT BINARY)"))
    await using (var sink = await writing.BeginRawBinaryCopyAsync($"COPY {to} FROM STDIN (FORMAT BINARY)"))
    {
        await source.CopyToAsync(sink);
    }

    return clock.Elapsed.TotalSeconds;
}

static async Task Require(string connectionString, string sql, long expected)
{
    var actual = await Scalar(connectionString, sql);
    if (actual != expected)
    {
        throw new InvalidOperationException($"{sql} gave {actual:N0}, expected {expected:N0}.");
    }
}

static async Task<long> Scalar(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task Execute(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

int Option(string name, int fallback) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? Text(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string FindSfpg()
{
    var configuration = typeof(Program).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "SnowPgMigration.sln")))
        {
            var dll = Path.Combine(directory.FullName, "src", "SnowPgMigration.Cli", "bin", configuration, "net8.0", "sfpg.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/SnowPgMigration.Cli -c {configuration} first.", dll);
        }
    }

    throw new DirectoryNotFoundException("SnowPgMigration.sln not found above the benchmark.");
}

internal sealed record Measured(int ExitCode, double Seconds, long PeakBytes, TimeSpan SfpgCpu, TimeSpan EmulatorCpu, Phases Phases);

/// <summary>Seconds of one sfpg run: its process starting, planning, copying the chunks, and verifying and analyzing the table.</summary>
internal sealed record Phases(double Start, double Plan, double Chunks, double Finish);
