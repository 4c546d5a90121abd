package query

import (
	"fmt"
	"strings"
)

// The functions user SQL may call. Each computes on its arguments alone:
// no file, network, catalog, setting, session or engine-log access, and
// no execution of SQL text. A function not listed here is refused, so what
// a future DuckDB adds stays refused until someone reads it and lists it;
// TestFunctionsClassified fails until every function DuckDB has is either
// here or in deniedFunctions with its reason.

// allowedFunctions are scalar, aggregate and window functions, and DuckDB's
// built-in macros over them.
var allowedFunctions = words(
	// operators
	`! !__postfix !~~ !~~* % & && * ** + - -> ->> / // <-> << <=> <@ >> @ @> ^ ^@ | || ~ ~~ ~~* ~~~`,
	// numbers
	`abs acos acosh add asin asinh atan atan2 atanh bit_count bit_length bit_position cbrt ceil ceiling cos cosh
	 cot degrees divide even exp factorial fdiv floor fmod gamma gcd greatest greatest_common_divisor isfinite
	 isinf isnan lcm least least_common_multiple lgamma ln log log10 log2 mod multiply nextafter pi pow power
	 radians random round round_even roundbankers sign signbit sin sinh sqrt subtract tan tanh trunc xor
	 equi_width_bins is_histogram_other_bin get_bit set_bit bitstring bin hex unbin unhex to_base
	 formatreadabledecimalsize formatreadablesize format_bytes parse_formatted_bytes`,
	// text
	`ascii bar base64 char_length character_length chr concat concat_ws contains damerau_levenshtein
	 editdist3 ends_with format from_base64 from_binary from_hex hamming ilike_escape instr jaccard
	 jaro_similarity jaro_winkler_similarity lcase left left_grapheme len length length_grapheme levenshtein
	 like_escape lower lpad ltrim md5 md5_number md5_number_lower md5_number_upper mismatches nfc_normalize
	 not_ilike_escape not_like_escape octet_length ord position prefix printf regexp_escape regexp_extract
	 regexp_extract_all regexp_full_match regexp_matches regexp_replace regexp_split_to_array repeat replace
	 reverse right right_grapheme rpad rtrim sha1 sha256 split split_part starts_with str_split
	 str_split_regex strip_accents string_split string_split_regex string_to_array strlen strpos substr
	 substring substring_grapheme suffix to_base64 to_binary to_hex translate trim ucase unicode upper
	 url_decode url_encode encode decode hash icu_sort_key parse_dirname parse_dirpath parse_filename
	 parse_path error`,
	// dates and times
	`age ago century current_date current_localtime current_localtimestamp date_add date_diff date_part date_sub
	 date_trunc datediff datepart datesub datetrunc day dayname dayofmonth dayofweek dayofyear days_in_month
	 decade epoch epoch_ms epoch_ns epoch_us era get_current_time get_current_timestamp hour isodow isoyear
	 julian last_day make_date make_time make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz
	 microsecond millennium millisecond minute month monthname nanosecond normalized_interval now quarter
	 second strftime strptime time_bucket timetz_byte_comparable timezone timezone_hour timezone_minute
	 to_centuries to_days to_decades to_hours to_microseconds to_millennia to_milliseconds to_minutes
	 to_months to_quarters to_seconds to_timestamp to_weeks to_years today transaction_timestamp
	 try_strptime week weekday weekofyear year yearweek`,
	// lists, arrays, maps, structs, unions
	`aggregate apply array_aggr array_aggregate array_append array_apply array_cat array_concat
	 array_contains array_cosine_distance array_cosine_similarity array_cross_product array_distance
	 array_distinct array_dot_product array_extract array_filter array_grade_up array_has array_has_all
	 array_has_any array_indexof array_inner_product array_intersect array_length array_negative_dot_product
	 array_negative_inner_product array_pop_back array_pop_front array_position array_prepend
	 array_push_back array_push_front array_reduce array_resize array_reverse array_reverse_sort array_select
	 array_slice array_sort array_to_json array_to_string array_to_string_comma_default array_transform
	 array_unique array_value array_where array_zip cardinality element_at filter flatten generate_series
	 generate_subscripts grade_up list_aggr list_aggregate list_any_value list_append list_apply
	 list_approx_count_distinct list_avg list_bit_and list_bit_or list_bit_xor list_bool_and list_bool_or
	 list_cat list_concat list_contains list_cosine_distance list_cosine_similarity list_count list_distance
	 list_distinct list_dot_product list_element list_entropy list_extract list_filter list_first
	 list_grade_up list_has list_has_all list_has_any list_histogram list_indexof list_inner_product
	 list_intersect list_kurtosis list_kurtosis_pop list_last list_mad list_max list_median list_min
	 list_mode list_negative_dot_product list_negative_inner_product list_pack list_position list_prepend
	 list_product list_reduce list_resize list_reverse list_reverse_sort list_select list_sem list_skewness
	 list_slice list_sort list_stddev_pop list_stddev_samp list_string_agg list_sum list_transform
	 list_unique list_value list_var_pop list_var_samp list_where list_zip map map_concat map_contains
	 map_contains_entry map_contains_value map_entries map_extract map_extract_value map_from_entries
	 map_keys map_values range reduce remap_struct row struct_concat struct_contains struct_extract
	 struct_extract_at struct_has struct_indexof struct_insert struct_keys struct_pack struct_position
	 struct_update struct_values union_extract union_tag union_value unnest unpivot_list`,
	// JSON values
	`json json_array json_array_length json_contains json_exists json_extract json_extract_path
	 json_extract_path_text json_extract_string json_group_array json_group_object json_group_structure
	 json_keys json_merge_patch json_object json_pretty json_quote json_structure json_transform
	 json_transform_strict json_type json_valid json_value to_json row_to_json from_json from_json_strict`,
	// values of other types, and typing
	`alias can_cast_implicitly constant_or_null create_sort_key enum_code enum_first enum_last enum_range
	 enum_range_boundary gen_random_uuid nullif switch typeof pg_typeof uuid uuid_extract_timestamp
	 uuid_extract_version uuidv4 uuidv7 vector_type st_asbinary st_astext st_aswkb st_aswkt st_crs
	 st_geomfromwkb st_intersects_extent st_setcrs variant_extract variant_normalize variant_typeof
	 pg_size_pretty`,
	// aggregates and window functions
	`any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max arg_max_null
	 arg_max_nulls_last arg_min arg_min_null arg_min_nulls_last argmax argmin array_agg avg bit_and bit_or
	 bit_xor bitstring_agg bool_and bool_or corr count count_if count_star countif covar_pop covar_samp
	 cume_dist dense_rank entropy favg fill first first_value fsum geomean geometric_mean group_concat
	 histogram histogram_exact histogram_values kahan_sum kurtosis kurtosis_pop lag last last_value lead
	 list listagg mad max max_by mean median min min_by mode nth_value ntile percent_rank product quantile
	 quantile_cont quantile_disc rank rank_dense regr_avgx regr_avgy regr_count regr_intercept regr_r2
	 regr_slope regr_sxx regr_sxy regr_syy reservoir_quantile row_number sem skewness stddev stddev_pop
	 stddev_samp string_agg sum sum_no_overflow sumkahan var_pop var_samp variance wavg weighted_avg`,
)

// allowedTableFunctions only make rows from their arguments.
var allowedTableFunctions = words(`range generate_series unnest json_each json_tree`)

func init() {
	// ICU's collations are comparison functions (icu_collate_de, ...).
	for _, lang := range strings.Fields(icuCollations) {
		allowedFunctions["icu_collate_"+lang] = true
	}
}

// deniedFunctions are DuckDB's functions that user SQL may not call, by
// why: each group names what the functions reach beyond the statement's
// own values.
var deniedFunctions = map[string]string{
	"files":    `read_csv read_csv_auto read_json read_json_auto read_json_objects read_json_objects_auto read_ndjson read_ndjson_auto read_ndjson_objects read_parquet parquet_scan parquet_metadata parquet_file_metadata parquet_full_metadata parquet_kv_metadata parquet_schema parquet_bloom_probe read_blob read_text read_duckdb glob sniff_csv arrow_scan arrow_scan_dumb seq_scan`,
	"catalog":  `duckdb_approx_database_count duckdb_columns duckdb_constraints duckdb_coordinate_systems duckdb_databases duckdb_dependencies duckdb_extensions duckdb_external_file_cache duckdb_functions duckdb_indexes duckdb_keywords duckdb_schemas duckdb_secret_types duckdb_secrets duckdb_sequences duckdb_tables duckdb_temporary_files duckdb_types duckdb_views duckdb_table_sample pragma_collations pragma_database_size pragma_metadata_info pragma_platform pragma_show pragma_storage_info pragma_table_info pragma_user_agent pragma_version col_description obj_description shobj_description format_pg_type format_type map_to_pg_oid pg_collation_is_visible pg_conversion_is_visible pg_function_is_visible pg_get_constraintdef pg_get_expr pg_get_viewdef pg_is_other_temp_schema pg_my_temp_schema pg_opclass_is_visible pg_operator_is_visible pg_opfamily_is_visible pg_table_is_visible pg_ts_config_is_visible pg_ts_dict_is_visible pg_ts_parser_is_visible pg_ts_template_is_visible pg_type_is_visible has_any_column_privilege has_column_privilege has_database_privilege has_foreign_data_wrapper_privilege has_function_privilege has_language_privilege has_schema_privilege has_sequence_privilege has_server_privilege has_table_privilege has_tablespace_privilege pg_has_role pg_timezone_names icu_calendar_names test_all_types test_vector_types summary get_type make_type cast_to_type replace_type in_search_path currval nextval`,
	"session":  `current_catalog current_database current_query current_query_id current_role current_schema current_schemas current_setting current_transaction_id current_connection_id current_user session_user user getvariable txid_current inet_client_addr inet_client_port inet_server_addr inet_server_port pg_conf_load_time pg_postmaster_start_time duckdb_settings duckdb_variables duckdb_memory duckdb_optimizers duckdb_prepared_statements duckdb_connection_count duckdb_profiling_settings get_block_size setseed version stats which_secret`,
	"sql":      `query query_table json_execute_serialized_sql json_serialize_sql json_deserialize_sql json_serialize_plan sql_auto_complete check_peg_parser enable_peg_parser disable_peg_parser`,
	"logs":     `duckdb_logs duckdb_logs_parsed duckdb_log_contexts enable_logging disable_logging truncate_duckdb_logs write_log parse_duckdb_log_message enable_profiling disable_profiling`,
	"writes":   `checkpoint force_checkpoint`,
	"time":     `sleep_ms pg_sleep`,
	"internal": `finalize combine repeat_row regexp_split_to_table variant_bytes_to_variant variant_to_parquet_variant`,
}

// bareFunctions are the functions DuckDB binds from a bare name, as if it
// were a column (current_user, user, ...), that are not allowed.
var bareFunctions = words(`current_catalog current_database current_query current_role current_schema current_user
	user session_user inet_client_addr inet_client_port inet_server_addr inet_server_port pg_conf_load_time
	pg_postmaster_start_time pg_my_temp_schema`)

// refusedFunction says why a function is refused.
func refusedFunction(name string) string {
	for why, list := range deniedFunctions {
		for _, f := range strings.Fields(list) {
			if f != name {
				continue
			}
			switch why {
			case "files":
				return fmt.Sprintf("%s() reads outside Inlet's tables: query tables as database.table", name)
			case "catalog":
				return fmt.Sprintf("%s() reads the engine's catalog: the Tables page lists tables and their columns", name)
			case "session", "logs":
				return fmt.Sprintf("%s() reads or changes the engine's state and is not allowed in queries", name)
			case "sql":
				return fmt.Sprintf("%s() runs or inspects SQL text and is not allowed in queries", name)
			}
			return fmt.Sprintf("%s() is not allowed in queries", name)
		}
	}
	if strings.HasPrefix(name, "__internal") {
		return fmt.Sprintf("%s() is internal to the engine", name)
	}
	return fmt.Sprintf("%s() is not a function queries may call (it may not exist, or reach beyond the query's values)", name)
}

// DeniedFunctions lists every function refused on purpose, for tests.
func DeniedFunctions() map[string]string {
	out := map[string]string{}
	for why, list := range deniedFunctions {
		for _, f := range strings.Fields(list) {
			out[f] = why
		}
	}
	return out
}

// FunctionAllowed reports whether user SQL may call a function, for tests.
func FunctionAllowed(name string) bool { return allowedFunctions[strings.ToLower(name)] }

// TableFunctionAllowed reports whether a table function is allowed, for tests.
func TableFunctionAllowed(name string) bool { return allowedTableFunctions[strings.ToLower(name)] }

func words(lists ...string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			out[strings.ToLower(w)] = true
		}
	}
	return out
}

// icuCollations are the languages of DuckDB's ICU collation functions.
const icuCollations = `af am ar ar_sa as az be bg bn bo br bs ca ceb chr cs cy da de de_at dsb dz ee el en en_us eo es
	et fa fa_af ff fi fil fo fr fr_ca ga gl gu ha haw he he_il hi hr hsb hu hy id id_id ig is it ja ka kk kl km kn ko
	kok ku ky lb lkt ln lo lt lv mk ml mn mr ms mt my nb nb_no ne nl nn noaccent om or pa pa_in pl ps pt ro ru sa se si
	sk sl smn sq sr sr_ba sr_me sr_rs sv sw ta te th tk to tr ug uk ur uz vi wae wo xh yi yo yue yue_cn zh zh_cn zh_hk
	zh_mo zh_sg zh_tw zu`
