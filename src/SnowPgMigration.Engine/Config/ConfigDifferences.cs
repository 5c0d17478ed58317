using System.Text.Json.Nodes;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// What differs between two canonical configs (<see cref="ConfigHasher.CanonicalForm"/>), named per source,
/// table and setting, so a refusal to resume can say exactly what changed.
/// </summary>
public static class ConfigDifferences
{
    private const int MaxListed = 20;

    /// <summary>One line per difference; a single line when <paramref name="before"/> is unknown (a run older than the record).</summary>
    public static IReadOnlyList<string> Between(string? before, string after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            return ["the run was started with another config (its settings were not recorded then)"];
        }

        var differences = new List<string>();
        var old = JsonNode.Parse(before)!.AsObject();
        var now = JsonNode.Parse(after)!.AsObject();
        CompareScalars("", old, now, ["snowflake_account"], differences);
        var oldSources = ByName(old["sources"], "source_name");
        var newSources = ByName(now["sources"], "source_name");
        foreach (var (name, source) in newSources)
        {
            if (!oldSources.TryGetValue(name, out var earlier))
            {
                differences.Add($"source \"{name}\" added");
                continue;
            }

            var where = $"source \"{name}\": ";
            CompareScalars(where, earlier, source, ["source_sf_database", "source_sf_schema", "target_pg_database", "target_pg_schema", "enabled"], differences);
            var oldTables = ByName(earlier["tables"], "target");
            var newTables = ByName(source["tables"], "target");
            foreach (var (table, settings) in newTables)
            {
                if (!oldTables.TryGetValue(table, out var was))
                {
                    differences.Add($"{where}table \"{table}\" added");
                    continue;
                }

                CompareScalars($"{where}table \"{table}\": ", was, settings, settings.Select(p => p.Key).Union(was.Select(p => p.Key)), differences);
            }

            differences.AddRange(oldTables.Keys.Except(newTables.Keys).Select(t => $"{where}table \"{t}\" removed"));
        }

        differences.AddRange(oldSources.Keys.Except(newSources.Keys).Select(s => $"source \"{s}\" removed"));
        return differences.Count <= MaxListed ? differences : [.. differences.Take(MaxListed), $"... and {differences.Count - MaxListed} more"];
    }

    private static Dictionary<string, JsonObject> ByName(JsonNode? array, string key) =>
        (array?.AsArray() ?? [])
            .OfType<JsonObject>()
            .GroupBy(o => o[key]?.GetValue<string>() ?? "")
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static void CompareScalars(string where, JsonObject before, JsonObject after, IEnumerable<string> keys, List<string> differences)
    {
        foreach (var key in keys.Where(k => k is not ("tables" or "sources")))
        {
            var was = before[key];
            var now = after[key];
            if (!JsonNode.DeepEquals(was, now))
            {
                differences.Add($"{where}{key} {Show(was)} -> {Show(now)}");
            }
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Show(JsonNode? value) => value is null ? "null" : value.ToJsonString(Readable);
}
