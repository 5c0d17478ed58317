-- Exact row counts of the target tables, for comparing with count_source_tables.sql (run in Snowflake).
-- Read-only. Every table of every schema but the system ones and migration_status, or of one schema:
--
--   psql -X -d mydb -f sql/count_target_tables.sql
--   psql -X -d mydb -v schema=public -f sql/count_target_tables.sql
--   psql -X -d mydb -v schema=public --csv -f sql/count_target_tables.sql > target_counts.csv
--
-- table_key is the table name in lower case, as in the Snowflake script's output: join the two on it.
-- Tables loaded with a source_filter, or incrementally, hold a different number of rows than the whole source
-- table by design; 'sfpg tables' shows each table's verified count for its run.

\if :{?schema}
\else
\set schema ''
\endif

SELECT t.table_schema,
       t.table_name,
       lower(t.table_name) AS table_key,
       -- count(*) of each table through query_to_xml: one statement, names quoted with %I.
       (xpath('/row/n/text()',
              query_to_xml(format('SELECT count(*) AS n FROM %I.%I', t.table_schema, t.table_name), false, true, '')))[1]::text::bigint
           AS row_count
FROM information_schema.tables t
WHERE t.table_type = 'BASE TABLE'
  AND t.table_schema NOT IN ('pg_catalog', 'information_schema', 'migration_status')
  AND t.table_schema NOT LIKE 'pg\_%'
  AND (:'schema' = '' OR t.table_schema = :'schema')
ORDER BY t.table_schema, t.table_name;
