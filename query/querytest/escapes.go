package querytest

// Escape is a statement a tenant's user must never get to run, with the
// words its refusal must contain.
type Escape struct {
	Class, SQL, Want string
}

// Refusal phrases, as the guard words them.
const (
	outside   = "reads outside Inlet's tables"
	notTable  = "is not a table"
	notInlet  = "is not an Inlet table"
	showRef   = "SUMMARIZE, DESCRIBE and SHOW are not allowed"
	catalog   = "reads the engine's catalog"
	state     = "reads or changes the engine's state"
	sqlText   = "runs or inspects SQL text"
	bareState = "qualify it"
	readOnly  = "only read-only SELECT queries are allowed"
	oneStmt   = "one statement at a time"
	qualified = "qualified function names are not allowed"
	qualTable = "address tables as database.table"
	notAllow  = "is not allowed in queries"
	notFunc   = "is not a function queries may call"
	withName  = "cannot name a WITH query"
	builtin   = "is not a built-in type"
)

// Escapes are the attempts every engine must refuse (the security review's
// classes and more), through every entry point: the SQL API, the command
// line, a template's SQL and a template's choices query.
var Escapes = []Escape{
	// Table functions that read files, anywhere in a statement.
	{"file function", `SELECT * FROM read_csv('/etc/passwd')`, "read_csv() " + outside},
	{"file function", `SELECT * FROM read_csv_auto('/etc/passwd')`, "read_csv_auto() " + outside},
	{"file function", `SELECT * FROM read_json('/etc/x.json')`, "read_json() " + outside},
	{"file function", `SELECT * FROM read_json_auto('/etc/x.json')`, "read_json_auto() " + outside},
	{"file function", `SELECT * FROM read_json_objects('/etc/x.json')`, "read_json_objects() " + outside},
	{"file function", `SELECT * FROM read_ndjson('/etc/x.json')`, "read_ndjson() " + outside},
	{"file function", `SELECT * FROM read_ndjson_objects('/etc/x.json')`, "read_ndjson_objects() " + outside},
	{"file function", `SELECT * FROM read_parquet('/tmp/*.parquet')`, "read_parquet() " + outside},
	{"file function", `SELECT * FROM parquet_scan('/tmp/*.parquet')`, "parquet_scan() " + outside},
	{"file function", `SELECT * FROM parquet_metadata('/tmp/x.parquet')`, "parquet_metadata() " + outside},
	{"file function", `SELECT * FROM parquet_schema('/tmp/x.parquet')`, "parquet_schema() " + outside},
	{"file function", `SELECT * FROM parquet_file_metadata('/tmp/x.parquet')`, "parquet_file_metadata() " + outside},
	{"file function", `SELECT * FROM parquet_kv_metadata('/tmp/x.parquet')`, "parquet_kv_metadata() " + outside},
	{"file function", `SELECT * FROM read_text('/etc/hostname')`, "read_text() " + outside},
	{"file function", `SELECT * FROM read_blob('/etc/hostname')`, "read_blob() " + outside},
	{"file function", `SELECT * FROM glob('/*')`, "glob() " + outside},
	{"file function", `SELECT * FROM sniff_csv('/etc/passwd')`, "sniff_csv() " + outside},
	{"file function", `SELECT * FROM read_duckdb('/tmp/x.db')`, "read_duckdb() " + outside},
	{"file function", `SELECT * FROM READ_CSV('/etc/passwd')`, "read_csv() " + outside},
	{"file function", `SELECT * FROM main.read_csv('/etc/passwd')`, "read_csv() " + outside},
	{"file function", `SELECT * FROM system.main.read_csv('/etc/passwd')`, "read_csv() " + outside},
	{"file function nested", `SELECT (SELECT count(*) FROM read_text('/etc/hostname')) AS n`, "read_text() " + outside},
	{"file function nested", `WITH x AS (SELECT * FROM read_json_auto('/etc/x.json')) SELECT * FROM x`, "read_json_auto() " + outside},
	{"file function nested", `SELECT * FROM sales.orders o JOIN read_csv('/etc/passwd') p ON true`, "read_csv() " + outside},
	{"file function nested", `SELECT * FROM sales.orders, LATERAL (SELECT * FROM read_csv('/etc/passwd'))`, "read_csv() " + outside},
	{"file function nested", `SELECT id FROM sales.orders WHERE email IN (SELECT * FROM read_csv('/etc/passwd'))`, "read_csv() " + outside},
	{"file function nested", `SELECT 1 UNION ALL SELECT count(*) FROM read_parquet('/tmp/*.parquet')`, "read_parquet() " + outside},
	{"file function nested", `SELECT * FROM (SELECT * FROM (SELECT * FROM read_csv('/etc/passwd')))`, "read_csv() " + outside},
	{"file function nested", `UNPIVOT (SELECT * FROM read_csv('/etc/passwd')) ON column0 INTO NAME k VALUE v`, "read_csv() " + outside},
	{"file function nested", `SELECT * FROM read_csv('/etc/passwd') PIVOT (count(*) FOR column0 IN ('x'))`, "read_csv() " + outside},
	{"file function nested", `SELECT exists(SELECT 1 FROM read_csv('/etc/passwd'))`, "read_csv() " + outside},
	{"file function nested", `SELECT * FROM sales.orders WHERE id = (SELECT max(1) FROM glob('/*'))`, "glob() " + outside},
	{"file function nested", `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, read_csv('/etc/passwd') WHERE n < 2) SELECT * FROM r`, "read_csv() " + outside},

	// File paths and URLs used as tables (DuckDB's replacement scans).
	{"path as table", `SELECT * FROM '/etc/passwd'`, notTable},
	{"path as table", `SELECT * FROM 'data.csv'`, notTable},
	{"path as table", `SELECT * FROM "/etc/passwd"`, notTable},
	{"path as table", `SELECT * FROM '/tmp/lake/*/*.parquet'`, notTable},
	{"path as table", `SELECT * FROM 's3://bucket/x.parquet'`, notTable},
	{"path as table", `SELECT * FROM 'https://example.com/x.csv'`, notTable},
	{"path as table", `SELECT * FROM '../../etc/passwd'`, notTable},
	{"path as table", `SELECT * FROM sales."../x.csv"`, notInlet},
	{"path as table", `SELECT * FROM "x.csv".y`, notInlet},
	{"path as table", `FROM '/etc/passwd'`, notTable},
	{"path as table", `SELECT * FROM sales.orders, '/etc/passwd'`, notTable},

	// SUMMARIZE, DESCRIBE and SHOW: names resolved by DuckDB, not the guard.
	{"show", `SUMMARIZE sales.orders`, showRef},
	{"show", `SUMMARIZE "tenant:globex".sales.orders`, showRef},
	{"show", `SUMMARIZE secret.keys`, showRef},
	{"show", `SUMMARIZE '/tmp/lake/*.parquet'`, showRef},
	{"show", `SUMMARIZE SELECT * FROM read_csv('/etc/passwd')`, showRef},
	{"show", `SUMMARIZE SELECT 1`, showRef},
	{"show", `DESCRIBE sales.orders`, showRef},
	{"show", `DESCRIBE SELECT * FROM '/etc/passwd'`, showRef},
	{"show", `SHOW sales.orders`, showRef},
	{"show", `SHOW TABLES`, showRef},
	{"show", `SHOW ALL TABLES`, showRef},
	{"show", `SHOW DATABASES`, showRef},
	{"show", `SELECT * FROM (SUMMARIZE sales.orders)`, showRef},
	{"show", `FROM (DESCRIBE secret.keys)`, showRef},
	{"show", `WITH s AS (SELECT * FROM (SUMMARIZE '/etc/passwd')) SELECT * FROM s`, showRef},
	{"show", `SELECT (SELECT count(*) FROM (SHOW ALL TABLES))`, showRef},

	// The engine's catalog and state through table functions.
	{"catalog function", `SELECT * FROM duckdb_tables()`, "duckdb_tables() " + outside},
	{"catalog function", `SELECT * FROM duckdb_views()`, "duckdb_views() " + outside},
	{"catalog function", `SELECT * FROM duckdb_columns()`, "duckdb_columns() " + outside},
	{"catalog function", `SELECT * FROM duckdb_databases()`, "duckdb_databases() " + outside},
	{"catalog function", `SELECT * FROM duckdb_schemas()`, "duckdb_schemas() " + outside},
	{"catalog function", `SELECT * FROM duckdb_functions()`, "duckdb_functions() " + outside},
	{"catalog function", `SELECT * FROM duckdb_settings()`, "duckdb_settings() " + outside},
	{"catalog function", `SELECT * FROM duckdb_extensions()`, "duckdb_extensions() " + outside},
	{"catalog function", `SELECT * FROM duckdb_secrets()`, "duckdb_secrets() " + outside},
	{"catalog function", `SELECT * FROM duckdb_memory()`, "duckdb_memory() " + outside},
	{"catalog function", `SELECT * FROM duckdb_temporary_files()`, "duckdb_temporary_files() " + outside},
	{"catalog function", `SELECT * FROM duckdb_dependencies()`, "duckdb_dependencies() " + outside},
	{"catalog function", `SELECT * FROM duckdb_indexes()`, "duckdb_indexes() " + outside},
	{"catalog function", `SELECT * FROM duckdb_sequences()`, "duckdb_sequences() " + outside},
	{"catalog function", `SELECT * FROM duckdb_types()`, "duckdb_types() " + outside},
	{"catalog function", `SELECT * FROM duckdb_keywords()`, "duckdb_keywords() " + outside},
	{"catalog function", `SELECT * FROM duckdb_logs()`, "duckdb_logs() " + outside},
	{"catalog function", `SELECT * FROM duckdb_variables()`, "duckdb_variables() " + outside},
	{"catalog function", `SELECT * FROM duckdb_prepared_statements()`, "duckdb_prepared_statements() " + outside},
	{"catalog function", `SELECT * FROM pragma_table_info('sales.orders')`, "pragma_table_info() " + outside},
	{"catalog function", `SELECT * FROM pragma_show('sales.orders')`, "pragma_show() " + outside},
	{"catalog function", `SELECT * FROM pragma_database_size()`, "pragma_database_size() " + outside},
	{"catalog function", `SELECT * FROM pragma_storage_info('sales.orders')`, "pragma_storage_info() " + outside},
	{"catalog function", `SELECT * FROM pragma_version()`, "pragma_version() " + outside},
	{"catalog function", `SELECT * FROM pragma_platform()`, "pragma_platform() " + outside},
	{"catalog function", `SELECT * FROM test_all_types()`, "test_all_types() " + outside},
	{"catalog function", `SELECT * FROM which_secret('s3://x', 's3')`, "which_secret() " + outside},
	{"catalog function", `SELECT * FROM checkpoint()`, "checkpoint() " + outside},
	{"catalog function", `SELECT * FROM repeat_row(1, num_rows := 10)`, "repeat_row() " + outside},

	// System views and schemas used as tables.
	{"system view", `SELECT * FROM duckdb_databases`, notTable},
	{"system view", `SELECT * FROM duckdb_views`, notTable},
	{"system view", `SELECT * FROM pg_class`, notTable},
	{"system view", `SELECT * FROM information_schema.tables`, notInlet},
	{"system view", `SELECT * FROM information_schema.columns`, notInlet},
	{"system view", `SELECT * FROM information_schema.views`, notInlet},
	{"system view", `SELECT * FROM pg_catalog.pg_class`, notInlet},
	{"system view", `SELECT * FROM pg_catalog.pg_views`, notInlet},
	{"system view", `SELECT * FROM main.duckdb_tables`, notInlet},
	{"system view", `SELECT * FROM system.main.duckdb_tables`, qualTable},
	{"system view", `SELECT * FROM temp.main.x`, qualTable},
	{"system view", `SELECT * FROM memory.sales.orders`, qualTable},

	// Catalog functions and the pg_catalog macros over them.
	{"catalog macro", `SELECT pg_get_viewdef('sales.orders')`, catalog},
	{"catalog macro", `SELECT col_description(1, 1)`, catalog},
	{"catalog macro", `SELECT obj_description(1, 'pg_class')`, catalog},
	{"catalog macro", `SELECT shobj_description(1, 'pg_class')`, catalog},
	{"catalog macro", `SELECT format_type(1, 1)`, catalog},
	{"catalog macro", `SELECT has_table_privilege('sales.orders', 'select')`, catalog},
	{"catalog macro", `SELECT pg_table_is_visible(1)`, catalog},
	{"catalog macro", `SELECT pg_get_expr(1, 1)`, catalog},
	{"catalog macro", `SELECT id FROM sales.orders WHERE pg_has_role('x', 'y')`, catalog},
	{"catalog macro", `SELECT nextval('s')`, catalog},
	{"catalog macro", `SELECT currval('s')`, catalog},
	{"catalog macro", `SELECT in_search_path('memory', 'main')`, catalog},
	{"catalog macro", `SELECT get_type('x')`, catalog},
	{"catalog macro", `SELECT pg_catalog.pg_get_viewdef('x')`, qualified},

	// Settings and session state.
	{"settings", `SELECT current_setting('memory_limit')`, state},
	{"settings", `SELECT current_setting('allowed_directories')`, state},
	{"settings", `SELECT getvariable('x')`, state},
	{"settings", `SELECT current_database()`, state},
	{"settings", `SELECT current_schema()`, state},
	{"settings", `SELECT current_schemas(true)`, state},
	{"settings", `SELECT current_catalog()`, state},
	{"settings", `SELECT current_query()`, state},
	{"settings", `SELECT version()`, state},
	{"settings", `SELECT stats(id) FROM sales.orders`, state},
	{"settings", `SELECT txid_current()`, state},
	{"settings", `SELECT setseed(0.5)`, state},
	{"settings", `SELECT current_connection_id()`, state},
	{"settings", `SELECT get_block_size('memory')`, state},
	{"settings", `SELECT id FROM sales.orders ORDER BY current_setting('threads')`, state},

	// Bare names DuckDB binds as function calls.
	{"bare function", `SELECT current_user`, bareState},
	{"bare function", `SELECT user`, bareState},
	{"bare function", `SELECT session_user`, bareState},
	{"bare function", `SELECT current_catalog`, bareState},
	{"bare function", `SELECT current_schema`, bareState},
	{"bare function", `SELECT current_role`, bareState},
	{"bare function", `SELECT current_query`, bareState},
	{"bare function", `SELECT inet_client_addr`, bareState},
	{"bare function", `SELECT pg_postmaster_start_time`, bareState},
	{"bare function", `SELECT id FROM sales.orders WHERE current_database IS NOT NULL`, bareState},

	// SQL that runs or inspects SQL.
	{"sql text", `SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')`, "query() " + outside},
	{"sql text", `SELECT * FROM query_table('secret.keys')`, "query_table() " + outside},
	{"sql text", `SELECT * FROM json_execute_serialized_sql('{}')`, "json_execute_serialized_sql() " + outside},
	{"sql text", `SELECT json_serialize_sql('SELECT 1')`, sqlText},
	{"sql text", `SELECT json_serialize_plan('SELECT * FROM ''/etc/passwd''')`, sqlText},
	{"sql text", `SELECT json_deserialize_sql('{}')`, sqlText},
	{"sql text", `SELECT * FROM sql_auto_complete('SELECT * FROM')`, "sql_auto_complete() " + outside},

	// Statements that are not a SELECT.
	{"not a select", `COPY (SELECT 1) TO '/tmp/inlet-escape.csv'`, readOnly},
	{"not a select", `COPY sales.orders TO '/tmp/orders.parquet'`, readOnly},
	{"not a select", `COPY sales.orders FROM '/etc/passwd'`, readOnly},
	{"not a select", `EXPORT DATABASE '/tmp/x'`, readOnly},
	{"not a select", `IMPORT DATABASE '/tmp/x'`, readOnly},
	{"not a select", `ATTACH '/tmp/evil.db' AS evil`, readOnly},
	{"not a select", `ATTACH ':memory:' AS x`, readOnly},
	{"not a select", `DETACH memory`, readOnly},
	{"not a select", `USE "tenant:globex"`, readOnly},
	{"not a select", `INSTALL httpfs`, readOnly},
	{"not a select", `LOAD httpfs`, readOnly},
	{"not a select", `LOAD '/tmp/x.duckdb_extension'`, readOnly},
	{"not a select", `SET enable_external_access = true`, readOnly},
	{"not a select", `SET allowed_directories = ['/']`, readOnly},
	{"not a select", `RESET memory_limit`, readOnly},
	{"not a select", `PRAGMA database_list`, readOnly},
	{"not a select", `PRAGMA show_tables`, readOnly},
	{"not a select", `CALL duckdb_tables()`, readOnly},
	{"not a select", `CALL pragma_table_info('sales.orders')`, readOnly},
	{"not a select", `CREATE TABLE t AS SELECT 1`, readOnly},
	{"not a select", `CREATE VIEW sales.v AS SELECT * FROM read_csv('/etc/passwd')`, readOnly},
	{"not a select", `CREATE MACRO m() AS (SELECT 1)`, readOnly},
	{"not a select", `CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')`, readOnly},
	{"not a select", `CREATE TYPE e AS ENUM ('a')`, readOnly},
	{"not a select", `CREATE SEQUENCE s`, readOnly},
	{"not a select", `CREATE SCHEMA x`, readOnly},
	{"not a select", `DROP VIEW sales.orders`, readOnly},
	{"not a select", `ALTER VIEW sales.orders RENAME TO o2`, readOnly},
	{"not a select", `INSERT INTO sales.orders SELECT * FROM sales.orders`, readOnly},
	{"not a select", `UPDATE sales.orders SET id = 0`, readOnly},
	{"not a select", `DELETE FROM sales.orders`, readOnly},
	{"not a select", `TRUNCATE sales.orders`, readOnly},
	{"not a select", `MERGE INTO sales.orders USING sales.orders o ON true WHEN MATCHED THEN DELETE`, readOnly},
	{"not a select", `VACUUM`, readOnly},
	{"not a select", `CHECKPOINT`, readOnly},
	{"not a select", `BEGIN TRANSACTION`, readOnly},
	{"not a select", `EXPLAIN SELECT * FROM sales.orders`, readOnly},
	{"not a select", `EXPLAIN ANALYZE SELECT * FROM read_csv('/etc/passwd')`, readOnly},
	{"not a select", `PREPARE p AS SELECT * FROM read_csv('/etc/passwd')`, readOnly},
	{"not a select", `EXECUTE p`, readOnly},
	{"not a select", `PIVOT sales.orders ON paid USING count(*)`, readOnly},

	// More than one statement.
	{"stacked", `SELECT 1; SELECT 2`, oneStmt},
	{"stacked", `SELECT 1; COPY (SELECT 1) TO '/tmp/x.csv'`, readOnly},
	{"stacked", `SELECT 1 /* ; */; ATTACH '/tmp/x.db'`, readOnly},
	{"stacked", "SELECT 1 -- comment\n; SELECT * FROM read_csv('/etc/passwd')", oneStmt},

	// Other tenants, other catalogs.
	{"other tenant", `SELECT * FROM "tenant:globex".sales.orders`, qualTable},
	{"other tenant", `SELECT * FROM globex.sales.orders`, qualTable},
	{"other tenant", `SELECT * FROM asof_1.sales.orders`, qualTable},
	{"other tenant", `SELECT k FROM secret.keys`, "does not exist"},
	{"other tenant", `SELECT * FROM sales.orders o, "tenant:globex".secret.keys k`, qualTable},

	// Qualified and internal functions.
	{"qualified function", `SELECT main.read_csv('/etc/passwd')`, "read_csv() " + outside},
	{"qualified function", `SELECT system.main.current_setting('threads')`, qualified},
	{"qualified function", `SELECT "tenant:globex".main.f()`, qualified},
	{"qualified function", `SELECT pg_catalog.current_database()`, qualified},
	{"internal function", `SELECT __internal_compress_integral_utinyint(1, 1)`, "is internal to the engine"},
	{"internal function", `SELECT finalize(sum(1))`, notAllow},
	{"internal function", `SELECT sum(id) EXPORT_STATE FROM sales.orders`, notAllow},
	{"unknown function", `SELECT no_such_function(1)`, notFunc},

	// Types from the catalog.
	{"catalog type", `SELECT CAST('a' AS "tenant:globex".main.t)`, builtin},
	{"catalog type", `SELECT 'a'::myenum`, builtin},
	{"catalog type", `SELECT 'a'::ENUM('a', 'b')`, builtin},

	// Time travel, logs, sleeps and other clauses the guard does not allow.
	{"clause", `SELECT * FROM sales.orders AT (VERSION => 1)`, "AT (...) time travel in SQL"},
	{"clause", `SELECT * FROM sales.orders AT (TIMESTAMP => now())`, "AT (...) time travel in SQL"},
	{"clause", `SELECT * FROM sales.orders WHERE id = $name`, "named parameters"},
	{"clause", `SELECT sleep_ms(100000)`, notAllow},
	{"clause", `SELECT pg_sleep(100)`, notAllow},
	{"clause", `SELECT write_log('x')`, state},
	{"clause", `SELECT * FROM enable_logging()`, "enable_logging() " + outside},

	// WITH names that would reach system catalogs or files.
	{"with name", `WITH duckdb_tables AS (SELECT 1) SELECT * FROM duckdb_tables`, withName},
	{"with name", `WITH pg_class AS (SELECT 1) SELECT * FROM pg_class`, withName},
	{"with name", `WITH "x.csv" AS (SELECT 1) SELECT * FROM "x.csv"`, withName},
	{"with name", `SELECT * FROM (WITH duckdb_databases AS (SELECT 1) SELECT 1), duckdb_databases`, withName},
	{"with name", `SELECT * FROM (WITH t AS (SELECT 1) SELECT 1) a, t`, notTable},
	{"with name", `WITH main AS (SELECT 1) SELECT * FROM main`, withName},
	{"unqualified table", `SELECT * FROM orders`, qualTable},
}
