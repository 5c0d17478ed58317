using System.Numerics;
using System.Text.Json;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>
/// Every recorded successful answer from a live Snowflake account, replayed over HTTP and read
/// through the client: columns from rowType and values decoded to .NET exactly.
/// </summary>
public sealed class RecordedResultTests
{
    private static async Task<(SnowflakeResult Result, List<object?[]> Rows, ReplayServer Server)> ReplayAsync(int number)
    {
        var recording = Recording.Load(number);
        var server = new ReplayServer().On(recording);
        await using var client = TestClients.For(server);
        var result = await client.ExecuteAsync(new SnowflakeStatement(recording.Statement));
        var rows = await result.ReadAllAsync();
        return (result, rows, server);
    }

    private static async Task<(SnowflakeResult Result, List<object?[]> Rows)> ReadAsync(int number)
    {
        var (result, rows, server) = await ReplayAsync(number);
        await server.DisposeAsync();
        return (result, rows);
    }

    [Fact]
    public async Task Basic_result_018_has_fixed_and_text_columns_and_one_row()
    {
        var (result, rows) = await ReadAsync(18);

        result.StatementHandle.Should().Be("01c79a10-0001-ac43-0000-d07900024c1a");
        result.TotalRowCount.Should().Be(1);
        result.PartitionCount.Should().Be(1);
        result.Columns.Should().HaveCount(2);
        result.Columns[0].Should().BeEquivalentTo(new
        {
            Ordinal = 0, Name = "A", Type = SnowflakeDataType.Fixed, TypeName = "fixed", Precision = 1, Scale = 0,
            Nullable = false, Length = (long?)null, ByteLength = (long?)null, Database = "", Table = "",
        });
        result.Columns[1].Should().BeEquivalentTo(new
        {
            Ordinal = 1, Name = "B", Type = SnowflakeDataType.Text, Length = 1L, ByteLength = 4L, Nullable = false,
        });
        rows.Should().ContainSingle().Which.Should().Equal(1L, "x");
    }

    [Fact]
    public async Task Zero_row_result_023_describes_every_column_of_the_type_table()
    {
        var (result, rows) = await ReadAsync(23);

        rows.Should().BeEmpty();
        result.TotalRowCount.Should().Be(0);
        result.Columns.Select(c => c.Name).Should().Equal("I", "N", "F", "S", "B", "BO", "D", "TM", "TN", "TL", "TZ", "V", "O", "A", "G", "GM");
        result.Columns.Select(c => c.Type).Should().Equal(
            SnowflakeDataType.Fixed, SnowflakeDataType.Fixed, SnowflakeDataType.Real, SnowflakeDataType.Text,
            SnowflakeDataType.Binary, SnowflakeDataType.Boolean, SnowflakeDataType.Date, SnowflakeDataType.Time,
            SnowflakeDataType.TimestampNtz, SnowflakeDataType.TimestampLtz, SnowflakeDataType.TimestampTz,
            SnowflakeDataType.Variant, SnowflakeDataType.Object, SnowflakeDataType.Array, SnowflakeDataType.Object,
            SnowflakeDataType.Object);
        result.Columns.Select(c => c.SqlTypeName).Should().Equal(
            "NUMBER(38,0)", "NUMBER(10,2)", "FLOAT", "VARCHAR(16777216)", "BINARY(8388608)", "BOOLEAN", "DATE",
            "TIME(9)", "TIMESTAMP_NTZ(9)", "TIMESTAMP_LTZ(9)", "TIMESTAMP_TZ(9)", "VARIANT", "OBJECT", "ARRAY",
            "GEOGRAPHY", "GEOMETRY");
        result.Columns[3].ByteLength.Should().Be(67108864);
        result.Columns[0].Should().BeEquivalentTo(new { Database = "DBMETA", Schema = "PUBLIC", Table = "DBIMP_IT_TYPES", Nullable = true });
        result.Columns[14].ExtendedTypeName.Should().Be("GEOGRAPHY");
        result.Columns[14].Table.Should().BeEmpty();
        result.Columns[15].ExtendedTypeName.Should().Be("GEOMETRY");
        result.Columns[2].Precision.Should().BeNull();
        result.Columns[7].Scale.Should().Be(9);
    }

    [Fact]
    public async Task Describing_a_table_sends_the_zero_row_select_and_returns_023s_columns()
    {
        await using var server = new ReplayServer().On(Recording.Load(23));
        await using var client = TestClients.For(server);

        var columns = await client.DescribeTableAsync(new SnowflakeTableName("DBMETA", "PUBLIC", "DBIMP_IT_TYPES"));

        columns.Should().HaveCount(16);
        columns[1].Should().BeEquivalentTo(new { Name = "N", Type = SnowflakeDataType.Fixed, Precision = 10, Scale = 2, Nullable = true });
        var sent = JsonDocument.Parse(server.Received.Single().Body).RootElement;
        sent.GetProperty("statement").GetString().Should().Be("SELECT * FROM \"DBMETA\".\"PUBLIC\".\"DBIMP_IT_TYPES\" LIMIT 0");
        sent.GetProperty("database").GetString().Should().Be("DBMETA");
        sent.GetProperty("schema").GetString().Should().Be("PUBLIC");
    }

    [Fact]
    public async Task Type_table_026_decodes_every_type_and_a_row_of_nulls()
    {
        var (result, rows) = await ReadAsync(26);

        rows.Should().HaveCount(2);
        var values = rows[0];
        values[0].Should().Be(BigInteger.Parse("12345678901234567890123456789012345678", System.Globalization.CultureInfo.InvariantCulture));
        values[1].Should().Be(12345678.91m);
        values[2].Should().Be(1.5d);
        values[3].Should().Be("héllo");
        values[4].Should().BeOfType<byte[]>().Which.Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);
        values[5].Should().Be(true);
        values[6].Should().Be(new DateOnly(2026, 10, 9));
        values[7].Should().Be(new TimeOnly(12, 34, 56).Add(TimeSpan.FromTicks(1234567)));
        var ntz = values[7 + 1].Should().BeOfType<DateTime>().Subject;
        ntz.Should().Be(new DateTime(2026, 10, 9, 12, 34, 56, DateTimeKind.Unspecified).AddTicks(1234567));
        ntz.Kind.Should().Be(DateTimeKind.Unspecified);
        var ltz = values[9].Should().BeOfType<DateTime>().Subject;
        ltz.Should().Be(new DateTime(2026, 10, 9, 5, 34, 56, DateTimeKind.Utc).AddTicks(1234567));
        ltz.Kind.Should().Be(DateTimeKind.Utc);
        var tz = values[10].Should().BeOfType<DateTimeOffset>().Subject;
        tz.Offset.Should().Be(TimeSpan.FromHours(7));
        tz.DateTime.Should().Be(new DateTime(2026, 10, 9, 12, 34, 56).AddTicks(1234567), "the wall clock at +07:00");
        tz.UtcDateTime.Should().Be(ltz, "TZ and LTZ hold the same instant in the type table");
        values[11].Should().Be("{\n  \"a\": 1\n}");
        values[12].Should().Be("{\n  \"k\": \"v\"\n}");
        values[13].Should().Be("[\n  1,\n  \"x\",\n  null\n]", "Snowflake writes a NULL array element as 'undefined'");
        JsonDocument.Parse((string)values[13]!).RootElement[2].ValueKind.Should().Be(JsonValueKind.Null);
        values[14].Should().Be("{\n  \"coordinates\": [\n    1,\n    2\n  ],\n  \"type\": \"Point\"\n}");
        JsonDocument.Parse((string)values[15]!).RootElement.GetProperty("coordinates")[1].GetDouble().Should().Be(4.0);
        rows[1].Should().HaveCount(16).And.OnlyContain(v => v == null);
    }

    [Fact]
    public async Task Number_38_37_from_028_keeps_every_digit_as_an_exact_decimal()
    {
        var (result, rows) = await ReadAsync(28);

        result.Columns[0].Should().BeEquivalentTo(new { Precision = 38, Scale = 37, Type = SnowflakeDataType.Fixed });
        rows.Single()[0].Should().Be(ExactDecimal.Parse("1.2345678901234567890123456789012345678"));
    }

    [Fact]
    public async Task Integer_beyond_int64_from_029_is_a_decimal()
    {
        var (_, rows) = await ReadAsync(29);

        rows.Single()[0].Should().BeOfType<decimal>().Which.Should().Be(9223372036854775808m);
    }

    [Fact]
    public async Task Real_special_values_from_030()
    {
        var (result, rows) = await ReadAsync(30);

        result.Columns.Should().OnlyContain(c => c.Type == SnowflakeDataType.Real);
        rows.Single().Should().Equal(double.NaN, double.PositiveInfinity, double.NegativeInfinity);
    }

    [Fact]
    public async Task Date_before_1970_from_031()
    {
        var (_, rows) = await ReadAsync(31);

        rows.Single()[0].Should().Be(new DateOnly(1900, 1, 1));
    }

    [Fact]
    public async Task Timestamp_ltz_from_032_is_the_instant_the_account_printed_in_its_time_zone()
    {
        var (_, rows) = await ReadAsync(32);

        var instant = rows.Single()[0].Should().BeOfType<DateTime>().Subject;
        instant.Should().Be(new DateTime(2026, 10, 8, 22, 40, 32, 43, DateTimeKind.Utc));
        rows.Single()[1].Should().Be("2026-10-08 15:40:32.043 -0700");
        new DateTimeOffset(instant).Should().Be(new DateTimeOffset(2026, 10, 8, 15, 40, 32, 43, TimeSpan.FromHours(-7)));
    }

    [Fact]
    public async Task Scaled_number_from_033_keeps_its_trailing_zeros()
    {
        var (_, rows) = await ReadAsync(33);

        var value = rows.Single()[0].Should().BeOfType<decimal>().Subject;
        value.Should().Be(12.5m);
        value.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("12.5000");
    }

    [Fact]
    public async Task Variants_from_034_are_json_text_including_json_null()
    {
        var (result, rows) = await ReadAsync(34);

        result.Columns.Should().OnlyContain(c => c.Type == SnowflakeDataType.Variant);
        rows.Single().Should().Equal("1", "\"s\"", "null", "[\n  1,\n  {\n    \"a\": 2\n  }\n]", "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
        rows.Single().Cast<string>().Select(t => JsonDocument.Parse(t).RootElement.ValueKind)
            .Should().Equal(JsonValueKind.Number, JsonValueKind.String, JsonValueKind.Null, JsonValueKind.Array, JsonValueKind.Object);
    }

    [Fact]
    public async Task Vector_from_035_is_its_text()
    {
        var (result, rows) = await ReadAsync(35);

        result.Columns[0].Type.Should().Be(SnowflakeDataType.Vector);
        rows.Single()[0].Should().Be("[1.000000,2.000000,3.000000]");
    }

    [Fact]
    public async Task Bound_fixed_from_037_is_sent_as_recorded_and_reads_back_as_long()
    {
        var recording = Recording.Load(37);
        await using var server = new ReplayServer().On(recording);
        await using var client = TestClients.For(server);

        var value = await client.QueryScalarAsync(new SnowflakeStatement("SELECT ?") { Bindings = [SnowflakeBinding.Fixed(42)] });

        value.Should().Be(42L);
        var sent = JsonDocument.Parse(server.Received.Single().Body).RootElement.GetProperty("bindings");
        var recorded = JsonDocument.Parse(recording.RequestBody!).RootElement.GetProperty("bindings");
        sent.GetRawText().Should().Be(recorded.GetRawText());
    }

    [Fact]
    public async Task Date_from_041_and_timestamp_tz_from_045()
    {
        (await ReadAsync(41)).Rows.Single()[0].Should().Be(new DateOnly(2026, 10, 9));

        var tz = (await ReadAsync(45)).Rows.Single()[0].Should().BeOfType<DateTimeOffset>().Subject;
        tz.Should().Be(new DateTimeOffset(2026, 10, 9, 19, 34, 56, TimeSpan.FromHours(7)).AddTicks(1234567));
        tz.Offset.Should().Be(TimeSpan.FromHours(7));
    }

    [Fact]
    public async Task Multi_statement_087_exposes_child_handles()
    {
        var (result, rows) = await ReadAsync(87);

        rows.Single()[0].Should().Be("Multiple statements executed successfully.");
        result.ChildStatementHandles.Should().Equal("01c79a10-0001-accd-0000-d07900021f16", "01c79a10-0001-accd-0000-d07900021f1a");
    }

    [Fact]
    public async Task Dml_and_ddl_results_091_096_139()
    {
        var insert = await ReadAsync(91);
        insert.Result.Columns.Single().Should().BeEquivalentTo(new { Name = "number of rows inserted", Precision = 19, Scale = 0 });
        insert.Rows.Single()[0].Should().Be(2L);

        (await ReadAsync(96)).Rows.Single()[0].Should().Be("Table DBIMP_IT_DML successfully created.");
        (await ReadAsync(139)).Rows.Single()[0].Should().Be(3L);
    }

    [Fact]
    public async Task Gzip_answer_108_is_inflated_from_its_recorded_bytes()
    {
        var recording = Recording.Load(108);
        recording.ResponseHeaders["Content-Encoding"].Should().Equal("gzip");
        recording.ResponseBody.Take(2).Should().Equal(0x1F, 0x8B);

        var (result, rows) = await ReadAsync(108);

        result.StatementHandle.Should().Be("01c79a10-0001-ac43-0000-d07900024d96");
        rows.Single().Should().Equal(1L);
    }

    [Fact]
    public async Task Gzip_bytes_108_without_their_content_encoding_header_are_still_read()
    {
        await using var server = new ReplayServer()
            .On("POST /api/v2/statements", Recording.Load(108).ToResponse() with { ContentEncoding = null });
        await using var client = TestClients.For(server);

        (await client.QueryScalarAsync<long>(new SnowflakeStatement("SELECT 1"))).Should().Be(1L);
    }

    [Fact]
    public async Task Output_format_142_is_refused_when_sending_and_reported_clearly_when_received()
    {
        var recording = Recording.Load(142);
        await using var server = new ReplayServer().On(recording);
        await using var client = TestClients.For(server);

        var send = () => client.ExecuteAsync(new SnowflakeStatement(recording.Statement)
        {
            Parameters = new Dictionary<string, string> { ["DATE_OUTPUT_FORMAT"] = "DD/MM/YYYY" },
        });
        await send.Should().ThrowAsync<ArgumentException>().WithMessage("*DATE_OUTPUT_FORMAT*");
        server.Received.Should().BeEmpty();

        var result = await client.ExecuteAsync(new SnowflakeStatement(recording.Statement));
        var read = () => result.ReadAllAsync();
        var error = (await read.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Error.Should().Be(ErrorCatalog.SnowflakeResponseInvalid);
        error.Message.Should().Contain("'2026-10-09'::DATE").And.Contain("09/10/2026").And.Contain("DATE_OUTPUT_FORMAT");
        error.StatementHandle.Should().Be("01c79a11-0001-ac43-0000-d07900024e5a");
    }
}
