using System.Globalization;

namespace SnowPgMigration.Sandbox;

/// <summary>
/// The sandbox's demo warehouse: tables that exercise the tool (the seed 000 sparse-ID distribution,
/// a date-chunked table with one very large day and a differently named watermark, UUID keys,
/// mixed-case and spaced names, every supported type, and an incremental change), with the
/// PostgreSQL target tables they load into, and the config that copies them.
/// </summary>
internal sealed class DemoWarehouse(double scale)
{
    public const string Database = "SANDBOX_WH";
    public const string Schema = "PUBLIC";
    public const string TargetDatabase = "sandbox_target";
    public const string TargetSchema = "analytics";
    public const string SourceName = "sandbox";

    /// <summary>The table the incremental change touches, and the second run copies.</summary>
    public const string IncrementalTable = "customers";

    private long Rows(int atScaleOne) => Math.Max(10, (long)Math.Round(atScaleOne * scale));

    private string N(int atScaleOne) => Rows(atScaleOne).ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates and fills the warehouse tables (run in database <see cref="Database"/>).</summary>
    public string WarehouseSql() => SnowPgMigration.Emulator.Results.SnowflakeTypeDomains.CreateSql + $$"""

        CREATE SCHEMA "PUBLIC";

        -- Seed 000: a few sparse IDs, then a dense block where IDs repeat (the table that lost 50,708 rows).
        CREATE TABLE "PUBLIC"."ORDERS" ("ID" bigint, "CUSTOMER_ID" bigint, "AMOUNT" numeric(12,2), "STATUS" varchar(10), "CREATED_AT" timestamp);
        INSERT INTO "PUBLIC"."ORDERS"
          SELECT 1 + (g * 197) % 1000, g % 5000, (g % 100000) / 100.0, (ARRAY['new','paid','shipped','returned'])[1 + g % 4], timestamp '2023-01-01' + g * interval '37 seconds'
          FROM generate_series(1, {{N(60)}}) g;
        INSERT INTO "PUBLIC"."ORDERS"
          SELECT 1001 + (g::bigint * 19997) % 999000, g % 5000, (g % 100000) / 100.0, 'paid', timestamp '2023-02-01' + g * interval '11 seconds'
          FROM generate_series(1, {{N(600)}}) g;
        INSERT INTO "PUBLIC"."ORDERS"
          SELECT 5000001 + (g::bigint * 7919) % 100000, g % 5000, (g % 100000) / 100.0, (ARRAY['new','paid','shipped'])[1 + g % 3], timestamp '2023-03-01' + g * interval '3 seconds'
          FROM generate_series(1, {{N(150000)}}) g;

        -- Date-chunked, one day holding many batches; the watermark is named differently in the target.
        CREATE TABLE "PUBLIC"."EVENTS" ("EVENT_ID" bigint, "EVENT_TYPE" text, "PAYLOAD" jsonb, "UPDATED_TIMESTAMP" timestamp);
        INSERT INTO "PUBLIC"."EVENTS"
          SELECT g, (ARRAY['click','view','buy'])[1 + g % 3], jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g % 7)),
                 timestamp '2024-01-01' + (g % 90) * interval '1 day' + (g % 86400) * interval '1 second'
          FROM generate_series(1, {{N(60000)}}) g;
        INSERT INTO "PUBLIC"."EVENTS"
          SELECT 1000000 + g, 'backfill', jsonb_build_object('n', g), timestamp '2024-03-15 00:00' + g * interval '100 milliseconds'
          FROM generate_series(1, {{N(40000)}}) g;

        -- UUID keys.
        CREATE TABLE "PUBLIC"."PAYERS" ("PAYER_ID" varchar(36), "NAME" text, "EMAIL" text, "CREATED_AT" timestamptz);
        INSERT INTO "PUBLIC"."PAYERS"
          SELECT md5('payer' || g)::uuid::text, 'Payer ' || g, 'payer' || g || '@example.com', timestamptz '2022-06-01 00:00+00' + g * interval '1 minute'
          FROM generate_series(1, {{N(50000)}}) g;

        -- Mixed-case and spaced names, a source filter, and a source column the target does not have.
        CREATE TABLE "PUBLIC"."Payer Contacts" ("Payer Id" varchar(36), "Contact Name" text, "Is Active" boolean, "phoneNumber" text, "Legacy Code" text);
        INSERT INTO "PUBLIC"."Payer Contacts"
          SELECT md5('payer' || g)::uuid::text, 'Contact Ünïcødé ' || g, g % 5 <> 0, '+1-555-' || lpad((g % 10000)::text, 4, '0'), 'L' || g
          FROM generate_series(1, {{N(20000)}}) g;

        -- Every supported type, with NULLs and extremes.
        CREATE TABLE "PUBLIC"."ALL_TYPES" (
          "C_BIGINT" bigint, "C_INT" integer, "C_SMALLINT" smallint, "C_NUMBER38" numeric(38,0), "C_DECIMAL" numeric(18,4),
          "C_DOUBLE" double precision, "C_REAL" real, "C_BOOLEAN" boolean, "C_TEXT" text, "C_VARCHAR" varchar(50), "C_BINARY" bytea,
          "C_DATE" date, "C_TIME" time, "C_TIMESTAMP" timestamp, "C_TIMESTAMP_TZ" timestamptz, "C_VARIANT" jsonb, "C_UUID" varchar(36));
        INSERT INTO "PUBLIC"."ALL_TYPES"
          SELECT g, g * 7 - 3000000, (g % 30000)::smallint, 99999999999999999999999999999999999999 - g, g / 10000.0 - 500,
                 g * 1.5e10, g / 3.0, g % 2 = 0, 'text ' || g || ' "quoted" \ back''slash', left('varchar ' || g, 50), decode(md5(g::text), 'hex'),
                 date '1970-01-01' + (g % 3650000), time '00:00:00' + (g % 86400) * interval '1 second' + interval '0.123456 second',
                 timestamp '1970-01-01' + g * interval '1 hour 1.5 second', timestamptz '2001-09-09 01:46:40+00' + g * interval '1 day',
                 jsonb_build_object('id', g, 'nested', jsonb_build_object('z', 1, 'a', 'ü')), md5('t' || g)::uuid::text
          FROM generate_series(1, {{N(10000)}}) g;
        INSERT INTO "PUBLIC"."ALL_TYPES" ("C_BIGINT", "C_DATE", "C_TIMESTAMP", "C_NUMBER38") VALUES
          (-9223372036854775808, date '9999-12-31', timestamp '9999-12-31 23:59:59.999999', -99999999999999999999999999999999999999),
          (9223372036854775807, date '1970-01-01', timestamp '1970-01-01 00:00:00', 0),
          (NULL, NULL, NULL, NULL);

        -- Declared with Snowflake's own types (domains the emulator describes as VARIANT, ARRAY, GEOGRAPHY, TIMESTAMP_TZ...);
        -- its target is not created here: create_target builds it from Snowflake's description.
        CREATE TABLE "PUBLIC"."SHIPMENTS" (
          "SHIPMENT_ID" numeric(38,0) NOT NULL, "WEIGHT_KG" numeric(10,3), "DETAILS" "VARIANT", "STOPS" "ARRAY",
          "ROUTE" "GEOGRAPHY", "SHIPPED_AT" "TIMESTAMP_TZ", "DELIVERED_AT" "TIMESTAMP_NTZ");
        INSERT INTO "PUBLIC"."SHIPMENTS"
          SELECT g, (g % 100000) / 1000.0, jsonb_build_object('carrier', (ARRAY['ups','dhl','post'])[1 + g % 3], 'parcels', jsonb_build_array(g % 4, jsonb_build_object('fragile', g % 2 = 0))),
                 CASE WHEN g % 5 = 0 THEN '[]'::jsonb ELSE jsonb_build_array('hub ' || g % 11, 'hub ' || g % 13) END,
                 jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(g % 180 - 90, g % 90 - 45)),
                 to_char(timestamp '2024-01-01' + g * interval '7 minutes 0.25 seconds', 'YYYY-MM-DD HH24:MI:SS.US') || (ARRAY['+00:00','+05:30','-08:00','+14:00'])[1 + g % 4],
                 CASE WHEN g % 7 = 0 THEN NULL ELSE timestamp '2024-01-03' + g * interval '7 minutes' END
          FROM generate_series(1, {{N(5000)}}) g;

        -- Loaded in full first, then changed and copied again incrementally.
        CREATE TABLE "PUBLIC"."CUSTOMERS" ("CUSTOMER_ID" bigint, "NAME" text, "TIER" text, "UPDATED_AT" timestamp);
        INSERT INTO "PUBLIC"."CUSTOMERS"
          SELECT g, 'Customer ' || g, 'bronze', timestamp '2024-01-01' + g * interval '1 second'
          FROM generate_series(1, {{N(30000)}}) g;
        """;

    /// <summary>The target tables (run in database <see cref="TargetDatabase"/>); <c>shipments</c> is left to create_target.</summary>
    public static string TargetSql() => """
        CREATE SCHEMA analytics;
        CREATE TABLE analytics.orders (id bigint, customer_id bigint, amount numeric(12,2), status varchar(10), created_at timestamp);
        CREATE INDEX orders_id ON analytics.orders (id);
        CREATE INDEX orders_customer ON analytics.orders (customer_id, created_at);
        CREATE TABLE analytics.events (event_id bigint PRIMARY KEY, event_type text, payload jsonb, "Updated Datatimestamp" timestamp);
        CREATE TABLE analytics.payers (payer_id uuid PRIMARY KEY, name text, email text, created_at timestamptz);
        CREATE TABLE analytics."Payer Contacts" ("Payer Id" uuid, "Contact Name" text, "Is Active" boolean, "phoneNumber" text);
        CREATE TABLE analytics.all_types (
          c_bigint bigint, c_int integer, c_smallint smallint, c_number38 numeric(38,0), c_decimal numeric(18,4),
          c_double double precision, c_real double precision, c_boolean boolean, c_text text, c_varchar varchar(50), c_binary bytea,
          c_date date, c_time time, c_timestamp timestamp, c_timestamp_tz timestamptz, c_variant jsonb, c_uuid uuid);
        CREATE TABLE analytics.customers (customer_id bigint PRIMARY KEY, name text, tier text, updated_at timestamp);
        """;

    /// <summary>The incremental change: a tenth of the customers move up a tier (newer watermark), a twentieth are new.</summary>
    public string IncrementalChangeSql() => $$"""
        UPDATE "PUBLIC"."CUSTOMERS" SET "TIER" = 'gold', "UPDATED_AT" = timestamp '2025-06-01' + "CUSTOMER_ID" * interval '1 millisecond'
          WHERE "CUSTOMER_ID" % 10 = 0;
        INSERT INTO "PUBLIC"."CUSTOMERS"
          SELECT {{N(30000)}} + g, 'New customer ' || g, 'silver', timestamp '2025-06-02' + g * interval '1 second'
          FROM generate_series(1, {{N(1500)}}) g;
        """;

    /// <summary>
    /// The tables array of the sandbox config. With <paramref name="unload"/> the full COPY loads (orders, payers,
    /// Payer Contacts, all_types) are extracted by unload; upserts and create_target stay on the SQL API.
    /// </summary>
    public static string TablesJson(int batchSize, bool unload = false) => $$"""
        [
          { "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"], "chunking_column_types": ["int"],{{Extract(unload)}}
            "truncate_onstart": true, "disable_index": true, "batch_size": {{batchSize}} },
          { "source": "EVENTS", "target": "events", "chunking_columns": ["UPDATED_TIMESTAMP"], "chunking_column_types": ["timestamp"],
            "uniqueness_columns": ["event_id"], "source_watermark": "UPDATED_TIMESTAMP", "target_watermark": "Updated Datatimestamp",
            "batch_size": {{Math.Max(100, batchSize / 2)}} },
          { "source": "PAYERS", "target": "payers", "chunking_columns": ["PAYER_ID"], "chunking_column_types": ["uuid"],{{Extract(unload)}}
            "uniqueness_columns": ["payer_id"] },
          { "source": "\"Payer Contacts\"", "target": "Payer Contacts", "source_filter": "\"Is Active\" = TRUE",{{Extract(unload)}}
            "chunking_columns": ["Payer Id"], "chunking_column_types": ["uuid"], "truncate_onstart": true },
          { "source": "ALL_TYPES", "target": "all_types", "chunking_columns": ["C_BIGINT"], "chunking_column_types": ["int"],{{Extract(unload)}}
            "truncate_onstart": true },
          { "source": "SHIPMENTS", "target": "shipments", "chunking_columns": ["SHIPMENT_ID"], "chunking_column_types": ["int"],
            "uniqueness_columns": ["SHIPMENT_ID"], "create_target": true, "truncate_nanoseconds": true },
          { "source": "CUSTOMERS", "target": "customers", "chunking_columns": ["CUSTOMER_ID"], "chunking_column_types": ["int"],
            "uniqueness_columns": ["customer_id"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at" }
        ]
        """;

    private static string Extract(bool unload) => unload ? " \"extract\": \"unload\"," : "";
}
