using System.Globalization;
using Npgsql;

/// <summary>
/// CPU used by the PostgreSQL backends of each database while a load runs: the backends and their databases
/// come from <c>pg_stat_activity</c>, their CPU time from <c>/proc/&lt;pid&gt;/stat</c>. The source's backends
/// serve the emulator's queries, the target's sfpg's COPY; with sfpg's and the emulator's own CPU this says
/// where a load's core-seconds went. Reading a few files per sample keeps the benchmark's own CPU, which is
/// counted as the emulator's, small. A backend that ends between two samples loses its last interval.
/// </summary>
internal sealed class PostgresBackendCpu
{
    private readonly Dictionary<int, (string Database, double Start, double Last)> _backends = [];
    private bool _started;

    /// <summary>Finds the backends now connected; those already running count from this first call.</summary>
    public async Task RefreshAsync(string adminConnection)
    {
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid, datname FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var pid = reader.GetInt32(0);
            if (!_backends.ContainsKey(pid) && CpuSeconds(pid) is { } cpu)
            {
                _backends[pid] = (reader.GetString(1), _started ? 0 : cpu, cpu);
            }
        }

        _started = true;
    }

    /// <summary>Reads the known backends' CPU time; call it often while the load runs and once at its end.</summary>
    public void Sample()
    {
        foreach (var (pid, backend) in _backends.ToList())
        {
            if (CpuSeconds(pid) is { } cpu)
            {
                _backends[pid] = backend with { Last = cpu };
            }
        }
    }

    /// <summary>CPU seconds used by the backends of <paramref name="database"/> since the first refresh.</summary>
    public double Seconds(string database) =>
        _backends.Values.Where(b => b.Database == database).Sum(b => b.Last - b.Start);

    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null; // the backend has ended
        }
    }
}
