-- Row counts of the source tables in Snowflake, for comparing with count_target_tables.sql (run in PostgreSQL).
-- Read-only. Run in a worksheet or SnowSQL with the source database and schema as the session's context:
--
--   USE DATABASE ANALYTICS; USE SCHEMA PUBLIC;
--   !source sql/count_source_tables.sql          -- SnowSQL; or paste the statement into a worksheet
--
-- ROW_COUNT is the row count Snowflake keeps for each table: exact for permanent and transient tables, without
-- scanning them. table_key is the table name in lower case, as in the PostgreSQL script's output: join the two on it.
-- Tables loaded with a source_filter hold fewer rows in the target by design; 'sfpg tables' shows each table's
-- verified count for its run.

SELECT TABLE_SCHEMA,
       TABLE_NAME,
       LOWER(TABLE_NAME) AS TABLE_KEY,
       ROW_COUNT
FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_TYPE = 'BASE TABLE'
  AND TABLE_SCHEMA = CURRENT_SCHEMA()
ORDER BY TABLE_NAME;
