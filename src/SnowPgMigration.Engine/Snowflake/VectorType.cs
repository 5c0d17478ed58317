using System.Globalization;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Reads a VECTOR's declared type, <c>VECTOR(FLOAT, 3)</c> or <c>VECTOR(INT, 3)</c>, as <c>DESCRIBE TABLE</c> shows it.</summary>
public static partial class VectorType
{
    /// <summary><paramref name="column"/> with the element type and dimension of <paramref name="declared"/>; unchanged when that is not a VECTOR type.</summary>
    public static SnowflakeColumn Describe(SnowflakeColumn column, string declared)
    {
        ArgumentNullException.ThrowIfNull(column);
        var match = Declared().Match(declared ?? string.Empty);
        if (!match.Success)
        {
            return column;
        }

        return column with
        {
            VectorElement = match.Groups["element"].Value.Equals("INT", StringComparison.OrdinalIgnoreCase) ? SnowflakeDataType.Fixed : SnowflakeDataType.Real,
            VectorDimension = int.Parse(match.Groups["dimension"].Value, CultureInfo.InvariantCulture),
        };
    }

    [GeneratedRegex(@"^\s*VECTOR\s*\(\s*(?<element>INT|FLOAT)\s*,\s*(?<dimension>\d{1,9})\s*\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Declared();
}
