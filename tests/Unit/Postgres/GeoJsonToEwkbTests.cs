using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Tests.Unit.Postgres;

/// <summary>GeoJSON becomes the EWKB PostGIS itself writes back (the hex below is <c>ST_AsEWKB</c>'s output in PostGIS 3.3).</summary>
public sealed class GeoJsonToEwkbTests
{
    [Theory]
    [InlineData("""{"type":"Point","coordinates":[1,2]}""", 4326, "0101000020e6100000000000000000f03f0000000000000040")]
    [InlineData("""{"type":"Point","coordinates":[1,2,3]}""", 0, "0101000080000000000000f03f00000000000000400000000000000840")]
    [InlineData("""{"type":"GeometryCollection","geometries":[]}""", 0, "010700000000000000")]
    [InlineData("""{"type":"MultiPoint","coordinates":[[1,2,3]]}""", 0, "0104000080010000000101000080000000000000f03f00000000000000400000000000000840")]
    [InlineData("""{"type":"Point","coordinates":[]}""", 0, "0101000000000000000000f87f000000000000f87f")]
    public void Geojson_becomes_the_ewkb_postgis_writes(string geoJson, int srid, string ewkbHex)
    {
        Convert.ToHexStringLower(GeoJsonToEwkb.Convert(geoJson, srid)).Should().Be(ewkbHex);
    }

    [Fact]
    public void Coordinates_keep_every_bit_of_their_doubles()
    {
        var ewkb = GeoJsonToEwkb.Convert("""{"type":"LineString","coordinates":[[0.30000000000000004,-1.7976931348623157e308],[4.9406564584124654e-324,179.99999999999997]]}""", 0);

        Enumerable.Range(0, 4).Select(i => BitConverter.ToDouble(ewkb, 9 + (8 * i)))
            .Should().Equal(0.30000000000000004, -1.7976931348623157e308, 4.9406564584124654e-324, 179.99999999999997);
    }

    [Theory]
    [InlineData("""{"type":"Feature","geometry":null}""", "\"Feature\" is not a GeoJSON geometry type")]
    [InlineData("""{"type":"Polygon"}""", "a GeoJSON Polygon needs a \"coordinates\" array")]
    [InlineData("""{"type":"LineString","coordinates":[[0,0,1],[1,1]]}""", "position [1,1] has 2 coordinates where the geometry's positions have 3")]
    [InlineData("""{"type":"Point","coordinates":["1",2]}""", "has a coordinate that is not a number")]
    [InlineData("""not json""", "not GeoJSON")]
    public void Text_that_is_not_a_geojson_geometry_is_refused_saying_why(string geoJson, string reason)
    {
        var convert = () => GeoJsonToEwkb.Convert(geoJson, 0);

        convert.Should().Throw<FormatException>().WithMessage($"*{reason}*");
    }
}
