using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class TableSelectionTests
{
    private static readonly MigrationConfig Config = new()
    {
        Snowflake = new SnowflakeSettings { Account = "myorg-myaccount" },
        Postgres = new PostgresSettings { Host = "localhost" },
        SourcePath = "config.json",
        Sources =
        [
            Source("sales", enabled: true, Table("ORDERS", "orders"), Table("REFUNDS", "refunds", enabled: false)),
            Source("finance", enabled: true, Table("LEDGER", "ledger")),
            Source("archive", enabled: false, Table("OLD_ORDERS", "old_orders")),
        ],
    };

    [Fact]
    public void Without_names_the_enabled_tables_of_the_enabled_sources_are_selected()
    {
        var selected = TableSelection.Select(Config, null, null);

        selected.Select(s => s.Source.SourceName).Should().Equal("sales", "finance");
        selected[0].Tables.Select(t => t.Target).Should().Equal("orders");
    }

    [Fact]
    public void A_named_table_is_found_by_target_or_source_name_in_any_case_even_when_disabled_and_sources_without_it_drop_out()
    {
        TableSelection.Select(Config, null, "Refunds").Should().ContainSingle()
            .Which.Tables.Should().ContainSingle().Which.Target.Should().Be("refunds");
        TableSelection.Select(Config, null, "ledger").Single().Source.SourceName.Should().Be("finance");
    }

    [Fact]
    public void Named_sources_are_a_comma_list_in_any_case_and_a_named_source_counts_even_when_disabled()
    {
        TableSelection.Select(Config, "FINANCE, archive", null).Select(s => s.Source.SourceName).Should().Equal("finance", "archive");
    }

    [Fact]
    public void An_empty_selection_is_described_with_what_was_asked_and_the_config_file()
    {
        TableSelection.Select(Config, "sales", "ledger").Should().BeEmpty();
        TableSelection.NothingSelected(Config, "sales", "ledger").Should().Be("source 'sales' with table 'ledger' has an enabled table in config.json");
        TableSelection.NothingSelected(Config, null, null).Should().Be("no enabled source has an enabled table in config.json");
    }

    private static SourceConfig Source(string name, bool enabled, params TableConfig[] tables) => new()
    {
        SourceName = name, SourceSfDatabase = "DB", SourceSfSchema = "PUBLIC", TargetPgDatabase = "target", TargetPgSchema = "public",
        Enabled = enabled, Tables = tables,
    };

    private static TableConfig Table(string source, string target, bool enabled = true) => new() { Source = source, Target = target, Enabled = enabled };
}
