using System.Globalization;
using System.Text.RegularExpressions;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Postgres;

/// <summary>The README's type contract table is what the code creates, row by row.</summary>
public sealed partial class TypeContractReadmeTests
{
    /// <summary>(Snowflake type, PostgreSQL type, whether the row is for a target database with PostGIS).</summary>
    public static TheoryData<string, string, bool> ContractRows()
    {
        var readme = File.ReadAllText(RepositoryFiles.Path("README.md"));
        var start = readme.IndexOf("## Creating and evolving target tables", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README documents the type contract");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var rows = new TheoryData<string, string, bool>();
        foreach (var line in readme[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            rows.Add(cells[1].Trim('`'), cells[2].Trim('`'), cells[3].StartsWith("with PostGIS", StringComparison.Ordinal));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ContractRows))]
    public void Each_readme_row_is_the_type_the_contract_creates(string snowflakeType, string postgresType, bool postGis)
    {
        TargetTypeContract.TypeFor(Described(snowflakeType), new TargetExtensions(postGis)).Sql.Should().Be(postgresType);
    }

    [Fact]
    public void The_readme_has_a_row_for_every_snowflake_type()
    {
        var described = ContractRows().Select(row => Described((string)row[0]).Type).ToHashSet();

        described.Should().BeEquivalentTo(Enum.GetValues<SnowflakeDataType>().Where(t => t != SnowflakeDataType.Unknown));
    }

    [Theory]
    [InlineData("BIGINT", "bigint", "int8")]
    [InlineData("Numeric( 20 , 4 )", "numeric(20,4)", "numeric")]
    [InlineData("character varying(40)", "varchar(40)", "varchar")]
    [InlineData("timestamp with time zone", "timestamptz(6)", "timestamptz")]
    [InlineData("time(3)", "time(3)", "time")]
    [InlineData("double  precision", "double precision", "float8")]
    public void Column_type_overrides_are_read_into_the_types_the_tool_creates(string written, string sql, string internalName)
    {
        PostgresTypeName.Parse(written).Should().Be(new PostgresTypeName(sql, internalName));
    }

    [Theory]
    [InlineData("money")]
    [InlineData("varchar(0)")]
    [InlineData("numeric(5,6)")]
    [InlineData("timestamp(9)")]
    [InlineData("text; DROP TABLE x")]
    public void Other_types_are_not_accepted_as_overrides(string written)
    {
        PostgresTypeName.Parse(written).Should().BeNull();
    }

    /// <summary>
    /// The column Snowflake's rowType gives for a declared type such as <c>NUMBER(10,2)</c> or <c>VARCHAR</c>; for
    /// <c>VECTOR(FLOAT,3)</c>, as DESCRIBE TABLE completes it.
    /// </summary>
    private static SnowflakeColumn Described(string declared)
    {
        if (declared.StartsWith("VECTOR(", StringComparison.Ordinal))
        {
            var vector = VectorType.Describe(Described("VECTOR"), declared);
            vector.VectorElement.Should().NotBeNull(declared);
            return vector;
        }

        var match = Declared().Match(declared);
        match.Success.Should().BeTrue(declared);
        var name = match.Groups[1].Value;
        int? first = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        int? second = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : null;
        var (wire, extended) = name switch
        {
            "NUMBER" => ("fixed", null),
            "FLOAT" => ("real", null),
            "VARCHAR" => ("text", null),
            "GEOGRAPHY" or "GEOMETRY" => ("object", name),
            _ => (name.ToLowerInvariant(), (string?)null),
        };
        return new SnowflakeColumn
        {
            Ordinal = 0,
            Name = "C",
            Type = SnowflakeColumn.ParseType(wire),
            TypeName = wire,
            ExtendedTypeName = extended,
            Precision = wire == "fixed" ? first : null,
            Scale = wire == "fixed" ? second : first,
            Length = wire == "text" ? first ?? 16_777_216 : null,
        };
    }

    [GeneratedRegex(@"^([A-Z_]+)(?:\((\d+)(?:,(\d+))?\))?$")]
    private static partial Regex Declared();
}
