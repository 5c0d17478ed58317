using System.Text;
using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>The <c>stage</c> object and the <c>extract</c> key: parsing, defaults, errors, and the SAS kept secret.</summary>
public sealed class StageConfigTests
{
    private const string SasText = "sv=2021-08-06&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00%3A00%3A00Z&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

    private static JsonObject WithStage(string url = "azure://myaccount.blob.core.windows.net/unload/sfpg", string sas = "${STAGE_SAS}")
    {
        var config = Valid();
        config["stage"] = new JsonObject { ["url"] = url, ["sas_token"] = sas };
        return config;
    }

    private static Dictionary<string, string> Variables(string sas = SasText) =>
        new(ConfigFixture.Variables) { ["STAGE_SAS"] = sas };

    [Fact]
    public void A_stage_is_parsed_with_safe_defaults_and_tables_default_to_the_sql_api()
    {
        var result = Load(WithStage(), variables: Variables());

        result.Errors.Should().BeEmpty();
        var stage = result.Config!.Stage!;
        stage.Location.Should().Be(new Engine.Unload.BlobStageLocation("myaccount", "unload", "sfpg", new Uri("https://myaccount.blob.core.windows.net")));
        stage.MaxFileSize.Should().Be(16 * 1024 * 1024);
        stage.SasToken!.ToString().Should().Be("***");
        result.FirstTable().Extract.Should().Be(ExtractMethod.SqlApi);
    }

    [Fact]
    public void Extract_is_inherited_from_the_root_and_the_source_and_a_table_overrides_it()
    {
        var config = WithStage();
        config["extract"] = "unload";
        Source(config)["extract"] = "sql_api";
        Table(config)["extract"] = "unload";

        var result = Load(config, variables: Variables());

        result.FirstTable().Extract.Should().Be(ExtractMethod.Unload);
        Table(config).Remove("extract");
        Load(config, variables: Variables()).FirstTable().Extract.Should().Be(ExtractMethod.SqlApi);
    }

    [Fact]
    public void An_unload_table_with_a_stage_loads_without_findings()
    {
        var config = WithStage();
        Table(config)["extract"] = "unload";

        var result = Load(config, variables: Variables());

        result.CodesAndPaths().Should().BeEmpty();
        result.FirstTable().Extract.Should().Be(ExtractMethod.Unload);
    }

    [Fact]
    public void An_unload_table_without_a_stage_is_an_error_naming_the_table()
    {
        var config = Valid();
        Table(config)["extract"] = "unload";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG5003", "stage"));
        result.Errors.Single().Message.Should().Contain("/").And.Contain("\"extract\": \"unload\"");
    }

    [Theory]
    [InlineData("https://myaccount.blob.core.windows.net/unload", "it must start with azure://")]
    [InlineData("azure://myaccount.dfs.core.windows.net/unload", "its host must be <account>.blob.core.windows.net")]
    [InlineData("azure://myaccount.blob.core.windows.net/Bad_Container/x", "it must name a container")]
    public void A_stage_url_that_is_not_an_azure_blob_location_is_an_error(string url, string why)
    {
        var result = Load(WithStage(url), variables: Variables());

        result.CodesAndPaths().Should().Equal(("SFPG5000", "stage.url"));
        result.Errors.Single().Message.Should().Contain(url).And.Contain(why);
    }

    [Fact]
    public void A_stage_without_a_sas_token_is_an_error()
    {
        var config = WithStage();
        config["stage"]!.AsObject().Remove("sas_token");

        Load(config).CodesAndPaths().Should().Equal(("SFPG5001", "stage.sas_token"));
    }

    [Fact]
    public void A_plain_http_endpoint_is_refused_unless_it_is_this_machine()
    {
        var config = WithStage();
        config["stage"]!["endpoint"] = "http://storage.example.com:10000/myaccount";
        Load(config, variables: Variables()).CodesAndPaths().Should().Equal(("SFPG5002", "stage.endpoint"));

        config["stage"]!["endpoint"] = "http://127.0.0.1:10000/devstoreaccount1";
        var result = Load(config, variables: Variables());
        result.Errors.Should().BeEmpty();
        result.Config!.Stage!.Location.ServiceEndpoint.Should().Be(new Uri("http://127.0.0.1:10000/devstoreaccount1"));
    }

    [Fact]
    public void An_unknown_extract_is_reported_with_a_suggestion()
    {
        var config = Valid();
        Table(config)["extract"] = "unlod";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1007", "sources[0].tables[0].extract"));
        result.Errors.Single().Message.Should().Contain("did you mean 'unload'?");
    }

    [Fact]
    public void The_sas_token_never_enters_the_config_hash_or_its_canonical_form()
    {
        var first = Load(WithStage(), variables: Variables());
        var second = Load(WithStage(), variables: Variables(SasText.Replace("c2VjcmV0", "b3RoZXI", StringComparison.Ordinal)));

        second.ConfigHash.Should().Be(first.ConfigHash);
        Encoding.UTF8.GetString(ConfigHasher.CanonicalForm(first.Config!)).Should().NotContain("sig=").And.NotContain("c2VjcmV0");
    }
}
