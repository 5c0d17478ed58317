using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// JSON text in one canonical form - object keys sorted, no insignificant white space, characters
/// unescaped where JSON allows - so the source's text and PostgreSQL's normalised jsonb compare equal.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The canonical text, or the input unchanged when it is not JSON.</summary>
    public static string Normalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var node = JsonNode.Parse(json);
            return node is null ? "null" : Sorted(node).ToJsonString(Compact);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static JsonNode Sorted(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(v => v is null ? null : Sorted(v)).ToArray()),
        _ => JsonNode.Parse(node.ToJsonString())!,
    };
}
