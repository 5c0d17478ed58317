using System.Text.Json;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class ConfigReportTests
{
    [Fact]
    public void Each_finding_is_one_line_with_severity_code_path_message_and_hint_then_a_summary()
    {
        var config = Valid();
        Table(config).Remove("uniqueness_columns");
        config["postgres"]!["password"] = "literal";

        var lines = ConfigReport.ToLines(Load(config)).ToList();

        lines.Should().HaveCount(3);
        lines[0].Should().Be("warning SFPG1027 postgres.password: 'password' is a secret written literally in the config file. "
            + "(Move it to the environment or the .env file and write \"${NAME}\" here.)");
        lines[1].Should().StartWith("error SFPG1015 sources[0].tables[0].uniqueness_columns: source_watermark/target_watermark make this");
        lines[2].Should().Be("config: invalid, 1 error, 1 warning");
    }

    [Fact]
    public void The_summary_of_a_valid_config_carries_its_hash()
    {
        var result = Load(Valid());

        ConfigReport.Summary(result).Should().Be($"config: valid, 0 errors, 0 warnings (config hash {result.ConfigHash})");
    }

    [Fact]
    public void The_json_report_holds_every_finding_with_all_its_fields()
    {
        var result = Load("{ \"a\": 1,, }");
        using var buffer = new MemoryStream();

        ConfigReport.WriteJson(result, buffer);

        using var json = JsonDocument.Parse(buffer.ToArray());
        var root = json.RootElement;
        root.GetProperty("valid").GetBoolean().Should().BeFalse();
        root.GetProperty("errors").GetInt32().Should().Be(1);
        root.GetProperty("warnings").GetInt32().Should().Be(0);
        root.GetProperty("config_hash").ValueKind.Should().Be(JsonValueKind.Null);
        var finding = root.GetProperty("findings").EnumerateArray().Single();
        finding.GetProperty("severity").GetString().Should().Be("error");
        finding.GetProperty("code").GetString().Should().Be("SFPG1002");
        finding.GetProperty("path").GetString().Should().Be("$");
        finding.GetProperty("message").GetString().Should().StartWith("invalid JSON at line 1, column 10");
        finding.GetProperty("hint").GetString().Should().NotBeNullOrEmpty();
        finding.GetProperty("line").GetInt32().Should().Be(1);
        finding.GetProperty("column").GetInt32().Should().Be(10);
    }
}
