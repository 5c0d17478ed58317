using System.Text.Json.Serialization;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>The wire shape of <c>resultSetMetaData</c>: row count, partitions and <c>rowType</c>.</summary>
internal sealed class ResultSetMetadata
{
    [JsonPropertyName("numRows")]
    public long NumRows { get; set; }

    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("partitionInfo")]
    public List<PartitionInfo>? PartitionInfo { get; set; }

    [JsonPropertyName("rowType")]
    public List<RowTypeEntry>? RowType { get; set; }
}

internal sealed class PartitionInfo
{
    [JsonPropertyName("rowCount")]
    public long RowCount { get; set; }

    [JsonPropertyName("uncompressedSize")]
    public long? UncompressedSize { get; set; }

    [JsonPropertyName("compressedSize")]
    public long? CompressedSize { get; set; }
}

internal sealed class RowTypeEntry
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("database")]
    public string? Database { get; set; }

    [JsonPropertyName("schema")]
    public string? Schema { get; set; }

    [JsonPropertyName("table")]
    public string? Table { get; set; }

    [JsonPropertyName("precision")]
    public int? Precision { get; set; }

    [JsonPropertyName("scale")]
    public int? Scale { get; set; }

    [JsonPropertyName("nullable")]
    public bool? Nullable { get; set; }

    [JsonPropertyName("byteLength")]
    public long? ByteLength { get; set; }

    [JsonPropertyName("length")]
    public long? Length { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("extTypeName")]
    public string? ExtTypeName { get; set; }

    public SnowflakeColumn ToColumn(int ordinal) => new()
    {
        Ordinal = ordinal,
        Name = Name ?? string.Empty,
        Type = SnowflakeColumn.ParseType(Type),
        TypeName = Type ?? string.Empty,
        ExtendedTypeName = ExtTypeName,
        Precision = Precision,
        Scale = Scale,
        Length = Length,
        ByteLength = ByteLength,
        Nullable = Nullable ?? true,
        Database = Database,
        Schema = Schema,
        Table = Table,
    };
}
