package io.fleetpulse.query;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The functions a query may call: what an analyst of the lake needs, by DuckDB's own names (aliases included,
 * as the parser keeps them). Everything else that DuckDB knows is refused: settings and variables
 * (current_setting, getvariable), the catalog and the session (pg_*, has_*_privilege, current_query, txid_current,
 * nextval), the build and the machine (version, platform), logging (write_log), SQL run from a string
 * (json_serialize_plan, json_execute_serialized_sql), file paths (parse_path, ...), and the few that cost quadratic
 * time per row where no interrupt reaches (levenshtein and the other edit distances).
 */
final class AllowedFunctions {

  /** Operators, as the parser names them. */
  static final Set<String> OPERATORS = Set.of("+", "-", "*", "/", "//", "%", "**", "^", "@", "!__postfix", "&", "|",
      "<<", ">>", "~", "||", "~~", "!~~", "~~*", "!~~*", "~~~", "!~~~", "^@", "->>", "->", "&&", "@>", "<@", "<->",
      "<=>");

  static final Set<String> MATH = Set.of("abs", "ceil", "ceiling", "floor", "round", "round_even", "roundbankers",
      "trunc", "sign", "signbit", "sqrt", "cbrt", "exp", "ln", "log", "log10", "log2", "pow", "power", "pi",
      "degrees", "radians", "sin", "cos", "tan", "cot", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
      "asinh", "acosh", "atanh", "gamma", "lgamma", "factorial", "fmod", "mod", "fdiv", "gcd", "lcm",
      "greatest_common_divisor", "least_common_multiple", "isnan", "isinf", "isfinite", "nextafter", "even", "add",
      "subtract", "multiply", "divide", "greatest", "least", "xor", "bit_count", "random", "hash", "nullif",
      "ifnull", "coalesce", "typeof");

  static final Set<String> DATE_TIME = Set.of("age", "century", "date_add", "date_diff", "date_part", "date_sub",
      "date_trunc", "datediff", "datepart", "datesub", "datetrunc", "day", "dayname", "dayofmonth", "dayofweek",
      "dayofyear", "decade", "epoch", "epoch_ms", "epoch_ns", "epoch_us", "era", "hour", "isodow", "isoyear",
      "julian", "last_day", "make_date", "make_time", "make_timestamp", "make_timestamp_ms", "make_timestamp_ns",
      "make_timestamptz", "microsecond", "millennium", "millisecond", "minute", "month", "monthname", "nanosecond",
      "now", "get_current_time", "get_current_timestamp", "current_date", "current_localtime",
      "current_localtimestamp", "today", "transaction_timestamp", "quarter", "second", "strftime", "strptime",
      "try_strptime", "time_bucket", "timezone", "timezone_hour", "timezone_minute", "to_centuries", "to_days",
      "to_decades", "to_hours", "to_microseconds", "to_millennia", "to_milliseconds", "to_minutes", "to_months",
      "to_quarters", "to_seconds", "to_timestamp", "to_weeks", "to_years", "week", "weekday", "weekofyear", "year",
      "yearweek", "normalized_interval");

  static final Set<String> TEXT = Set.of("ascii", "bar", "bit_length", "char_length", "character_length", "chr",
      "concat", "concat_ws", "contains", "ends_with", "format", "format_bytes", "formatreadabledecimalsize",
      "formatreadablesize", "instr", "lcase", "left", "left_grapheme", "len", "length", "length_grapheme",
      "like_escape", "ilike_escape", "not_like_escape", "not_ilike_escape", "lower", "lpad", "ltrim", "md5",
      "md5_number", "md5_number_lower", "md5_number_upper", "nfc_normalize", "octet_length", "ord", "position",
      "prefix", "printf", "regexp_escape", "regexp_extract", "regexp_extract_all", "regexp_full_match",
      "regexp_matches", "regexp_replace", "regexp_split_to_array", "repeat", "replace", "reverse", "right",
      "right_grapheme", "rpad", "rtrim", "sha1", "sha256", "split", "split_part", "starts_with", "str_split",
      "str_split_regex", "string_split", "string_split_regex", "string_to_array", "strip_accents", "strlen",
      "strpos", "substr", "substring", "substring_grapheme", "suffix", "translate", "trim", "ucase", "unicode",
      "upper", "url_decode", "url_encode", "to_base", "to_base64", "from_base64", "base64", "to_hex", "hex",
      "from_hex", "unhex", "bin", "unbin", "to_binary", "from_binary", "encode", "decode");

  static final Set<String> LISTS_STRUCTS_MAPS = Set.of("list_value", "list_pack", "array_value", "list_extract",
      "list_element", "array_extract", "element_at", "list_slice", "array_slice", "list_concat", "list_cat",
      "array_concat", "array_cat", "list_append", "array_append", "array_push_back", "list_prepend", "array_prepend",
      "array_push_front", "array_pop_back", "array_pop_front", "list_contains", "list_has", "array_contains",
      "array_has", "list_has_all", "array_has_all", "list_has_any", "array_has_any", "list_position",
      "list_indexof", "array_position", "array_indexof", "list_distinct", "array_distinct", "list_unique",
      "array_unique", "list_sort", "array_sort", "list_reverse_sort", "array_reverse_sort", "list_reverse",
      "array_reverse", "list_grade_up", "array_grade_up", "grade_up", "list_transform", "array_transform",
      "list_apply", "array_apply", "apply", "list_filter", "array_filter", "filter", "list_reduce", "array_reduce",
      "reduce", "list_where", "array_where", "list_select", "array_select", "list_zip", "array_zip",
      "list_intersect", "array_intersect", "list_resize", "array_resize", "flatten", "unnest", "generate_subscripts",
      "range", "generate_series", "array_length", "cardinality", "list_aggregate", "list_aggr", "array_aggregate",
      "array_aggr", "aggregate", "array_to_string", "list_string_agg", "list_sum", "list_product", "list_avg",
      "list_min", "list_max", "list_count", "list_first", "list_last", "list_any_value", "list_median",
      "list_mode", "list_mad", "list_stddev_pop", "list_stddev_samp", "list_var_pop", "list_var_samp",
      "list_kurtosis", "list_kurtosis_pop", "list_skewness", "list_sem", "list_entropy", "list_bool_and",
      "list_bool_or", "list_bit_and", "list_bit_or", "list_bit_xor", "list_approx_count_distinct",
      "list_histogram", "list_cosine_similarity", "list_cosine_distance", "list_distance", "list_inner_product",
      "list_dot_product", "list_negative_inner_product", "list_negative_dot_product", "array_cosine_similarity",
      "array_cosine_distance", "array_distance", "array_inner_product", "array_dot_product",
      "array_negative_inner_product", "array_negative_dot_product", "array_cross_product", "struct_pack", "row",
      "struct_extract", "struct_extract_at", "struct_insert", "struct_concat", "struct_contains", "struct_has",
      "struct_position", "struct_indexof", "struct_update", "map", "map_from_entries", "map_entries", "map_keys",
      "map_values", "map_extract", "map_extract_value", "map_contains", "map_contains_entry", "map_contains_value",
      "map_concat", "equi_width_bins", "is_histogram_other_bin");

  static final Set<String> JSON = Set.of("json", "json_extract", "json_extract_string", "json_extract_path",
      "json_extract_path_text", "json_value", "json_exists", "json_array_length", "json_keys", "json_type",
      "json_valid", "json_contains", "json_structure", "to_json", "array_to_json", "row_to_json", "json_object",
      "json_array", "json_quote", "json_merge_patch", "json_pretty", "from_json", "from_json_strict",
      "json_transform", "json_transform_strict");

  static final Set<String> AGGREGATES = Set.of("any_value", "arbitrary", "approx_count_distinct", "approx_quantile",
      "approx_top_k", "arg_max", "arg_max_null", "arg_min", "arg_min_null", "argmax", "argmin", "max_by", "min_by",
      "avg", "mean", "favg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "corr", "count", "count_star",
      "count_if", "countif", "covar_pop", "covar_samp", "entropy", "first", "last", "fsum", "kahan_sum",
      "sumkahan", "sum", "sum_no_overflow", "product", "histogram", "histogram_exact", "kurtosis", "kurtosis_pop",
      "skewness", "mad", "median", "mode", "max", "min", "quantile", "quantile_cont", "quantile_disc",
      "reservoir_quantile", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope",
      "regr_sxx", "regr_sxy", "regr_syy", "sem", "stddev", "stddev_pop", "stddev_samp", "var_pop", "var_samp",
      "variance", "geomean", "geometric_mean", "wavg", "weighted_avg", "string_agg", "group_concat", "listagg",
      "list", "array_agg", "json_group_array", "json_group_object", "json_group_structure");

  /** Window-only functions: row_number() and friends arrive as WINDOW nodes of their own type, named too. */
  static final Set<String> WINDOW = Set.of("row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
      "lag", "lead", "first_value", "last_value", "nth_value", "fill");

  static final Set<String> ALL = union(OPERATORS, MATH, DATE_TIME, TEXT, LISTS_STRUCTS_MAPS, JSON, AGGREGATES,
      WINDOW);

  private AllowedFunctions() {}

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    Stream.of(sets).forEach(all::addAll);
    return Set.copyOf(all);
  }

  static List<String> sorted() {
    return ALL.stream().sorted().toList();
  }
}
