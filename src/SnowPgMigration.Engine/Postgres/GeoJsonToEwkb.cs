using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// GeoJSON text, as the SQL API sends GEOGRAPHY and GEOMETRY, as PostGIS's extended well-known binary: the form
/// PostGIS's <c>geometry</c> and <c>geography</c> receive functions read from a binary COPY, so the load stays one
/// binary COPY. Coordinates are the parsed doubles, bit for bit; the output is what <c>ST_AsEWKB</c> writes back
/// (little-endian, the Z flag on every part, the SRID on the outer geometry only), which verification compares.
/// </summary>
public static partial class GeoJsonToEwkb
{
    /// <summary>WGS 84, Snowflake's GEOGRAPHY and PostGIS's default for geography.</summary>
    public const int GeographySrid = 4326;

    private const uint ZFlag = 0x80000000;
    private const uint SridFlag = 0x20000000;

    // PostGIS writes an empty point's coordinates as this NaN (positive quiet); .NET's double.NaN has the sign bit set.
    private static readonly double EmptyCoordinate = BitConverter.Int64BitsToDouble(0x7FF8000000000000);

    /// <summary>
    /// The SRID a PostGIS column holds: the one its type declares (<c>geometry(Point,3857)</c>), else 4326 for geography
    /// and 0 for geometry, PostGIS's own defaults. GeoJSON carries none; PostGIS stores the column's SRID on each value, so
    /// the EWKB written (and compared by verification) carries it too.
    /// </summary>
    public static int SridOf(TargetColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var match = DeclaredSrid().Match(column.DisplayType);
        return match.Success
            ? int.Parse(match.Groups["srid"].Value, CultureInfo.InvariantCulture)
            : column.TypeName == "geography" ? GeographySrid : 0;
    }

    /// <summary>The EWKB of <paramref name="geoJson"/>, tagged with <paramref name="srid"/> unless it is 0.</summary>
    /// <exception cref="FormatException">The text is not a GeoJSON geometry PostGIS can hold.</exception>
    public static byte[] Convert(string geoJson, int srid)
    {
        ArgumentNullException.ThrowIfNull(geoJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(geoJson);
        }
        catch (JsonException error)
        {
            throw new FormatException($"not GeoJSON: {error.Message}", error);
        }

        using (document)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream))
            {
                var root = document.RootElement;
                var hasZ = FirstPosition(root) is { } position && position.GetArrayLength() >= 3;
                WriteGeometry(writer, root, hasZ, srid);
            }

            return stream.ToArray();
        }
    }

    private static void WriteGeometry(BinaryWriter writer, JsonElement geometry, bool hasZ, int srid)
    {
        if (geometry.ValueKind != JsonValueKind.Object || !geometry.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("a GeoJSON geometry is an object with a \"type\"");
        }

        var type = typeElement.GetString();
        if (type == "GeometryCollection")
        {
            var geometries = Member(geometry, "geometries");
            WriteHeader(writer, 7, hasZ, srid);
            writer.Write((uint)geometries.GetArrayLength());
            foreach (var part in geometries.EnumerateArray())
            {
                WriteGeometry(writer, part, hasZ, srid: 0);
            }

            return;
        }

        if (type is not ("Point" or "LineString" or "Polygon" or "MultiPoint" or "MultiLineString" or "MultiPolygon"))
        {
            throw new FormatException($"\"{type}\" is not a GeoJSON geometry type (Point, LineString, Polygon, their Multi- forms, GeometryCollection)");
        }

        WriteCoordinates(writer, type, Member(geometry, "coordinates"), hasZ, srid);
    }

    private static void WriteCoordinates(BinaryWriter writer, string? type, JsonElement coordinates, bool hasZ, int srid)
    {
        switch (type)
        {
            case "Point":
                WriteHeader(writer, 1, hasZ, srid);
                if (coordinates.GetArrayLength() == 0)
                {
                    for (var i = hasZ ? 3 : 2; i > 0; i--)
                    {
                        writer.Write(EmptyCoordinate);
                    }
                }
                else
                {
                    WritePosition(writer, coordinates, hasZ);
                }

                break;
            case "LineString":
                WriteHeader(writer, 2, hasZ, srid);
                WritePositions(writer, coordinates, hasZ);
                break;
            case "Polygon":
                WriteHeader(writer, 3, hasZ, srid);
                writer.Write((uint)coordinates.GetArrayLength());
                foreach (var ring in coordinates.EnumerateArray())
                {
                    WritePositions(writer, ring, hasZ);
                }

                break;
            case "MultiPoint" or "MultiLineString" or "MultiPolygon":
                WriteHeader(writer, type switch { "MultiPoint" => 4, "MultiLineString" => 5, _ => 6 }, hasZ, srid);
                writer.Write((uint)coordinates.GetArrayLength());
                foreach (var part in coordinates.EnumerateArray())
                {
                    WriteCoordinates(writer, type[5..], part, hasZ, srid: 0);
                }

                break;
            default:
                throw new UnreachableException(type);
        }
    }

    private static void WriteHeader(BinaryWriter writer, uint code, bool hasZ, int srid)
    {
        writer.Write((byte)1); // little-endian (NDR)
        writer.Write(code | (hasZ ? ZFlag : 0) | (srid != 0 ? SridFlag : 0));
        if (srid != 0)
        {
            writer.Write(srid);
        }
    }

    private static void WritePositions(BinaryWriter writer, JsonElement positions, bool hasZ)
    {
        writer.Write((uint)positions.GetArrayLength());
        foreach (var position in positions.EnumerateArray())
        {
            WritePosition(writer, position, hasZ);
        }
    }

    private static void WritePosition(BinaryWriter writer, JsonElement position, bool hasZ)
    {
        var length = position.ValueKind == JsonValueKind.Array ? position.GetArrayLength() : 0;
        if (length != (hasZ ? 3 : 2))
        {
            throw new FormatException($"position {position.GetRawText()} has {length} coordinates where the geometry's positions have {(hasZ ? 3 : 2)}");
        }

        foreach (var coordinate in position.EnumerateArray())
        {
            writer.Write(coordinate.ValueKind == JsonValueKind.Number
                ? coordinate.GetDouble()
                : throw new FormatException($"position {position.GetRawText()} has a coordinate that is not a number"));
        }
    }

    private static JsonElement Member(JsonElement geometry, string name) =>
        geometry.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.Array
            ? member
            : throw new FormatException($"a GeoJSON {geometry.GetProperty("type").GetString()} needs a \"{name}\" array");

    /// <summary>The first position (an array of numbers) anywhere in the geometry, which decides 2D or 3D; null when empty.</summary>
    private static JsonElement? FirstPosition(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in (string[])["coordinates", "geometries"])
            {
                if (element.TryGetProperty(name, out var member) && FirstPosition(member) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number)
            {
                return element;
            }

            if (FirstPosition(item) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?:geometry|geography)\(\w+,\s*(?<srid>\d+)\)$")]
    private static partial Regex DeclaredSrid();
}
