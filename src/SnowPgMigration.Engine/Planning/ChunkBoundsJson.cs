using System.Text.Json;
using System.Text.Json.Serialization;

namespace SnowPgMigration.Engine.Planning;

/// <summary>The JSON form of <see cref="ChunkBounds"/> stored in <c>migration_chunk_status.bounds</c>.</summary>
public static class ChunkBoundsJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(ChunkBounds bounds) => JsonSerializer.Serialize(bounds, Options);

    /// <summary>The bounds, or null when none were stored.</summary>
    public static ChunkBounds? Read(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ChunkBounds>(json, Options);
}
