using System.Text.Json;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>One binding of the request's <c>bindings</c> object: Snowflake type name and text value.</summary>
internal sealed record Binding(string Type, string? Value);

/// <summary>The body of <c>POST /api/v2/statements</c> and the query flags that go with it.</summary>
internal sealed record StatementRequest
{
    public string? Statement { get; init; }
    public long? TimeoutSeconds { get; init; }
    public string? Database { get; init; }
    public string? Schema { get; init; }
    public IReadOnlyList<Binding> Bindings { get; init; } = [];
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public bool NullAsString { get; init; }

    public string? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Parses a request body; null when it is not a JSON object.</summary>
    public static StatementRequest? Parse(ReadOnlySpan<byte> json, bool nullAsString)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new StatementRequest
            {
                Statement = Text(root, "statement"),
                TimeoutSeconds = root.TryGetProperty("timeout", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null,
                Database = Text(root, "database"),
                Schema = Text(root, "schema"),
                Bindings = ParseBindings(root),
                Parameters = ParseParameters(root),
                NullAsString = nullAsString,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<Binding> ParseBindings(JsonElement root)
    {
        var bindings = new List<(int Index, Binding Binding)>();
        if (!root.TryGetProperty("bindings", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!int.TryParse(property.Name, out var index) || property.Value.ValueKind != JsonValueKind.Object)
            {
                throw new SnowflakeErrorException(new SnowflakeError(422, "002049", $"SQL compilation error: Bind variable :{property.Name} not set.", "42601"));
            }

            var type = Text(property.Value, "type") ?? "TEXT";
            var value = property.Value.TryGetProperty("value", out var v) ? v : default;
            if (value.ValueKind == JsonValueKind.Array)
            {
                throw new SnowflakeErrorException(SnowflakeError.NotSupported("array bindings (batch inserts)"));
            }

            bindings.Add((index, new Binding(type.ToUpperInvariant(), value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : value.GetRawText())));
        }

        return bindings.OrderBy(b => b.Index).Select(b => b.Binding).ToList();
    }

    private static Dictionary<string, string> ParseParameters(JsonElement root)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("parameters", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                parameters[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString() ?? ""
                    : property.Value.GetRawText();
            }
        }

        return parameters;
    }
}
