namespace SnowPgMigration.Engine.Errors;

/// <summary>Configuration codes (1xxx): problems in config.json, its variables and its .env file.</summary>
public static partial class ErrorCatalog
{
    public static readonly ErrorCode ConfigFileNotFound = new(
        "SFPG1001", ErrorKind.ObjectNotFound,
        "Config file not found or not readable",
        "Check the path given to --config / -Path; relative paths are resolved from the current directory.");

    public static readonly ErrorCode ConfigJsonSyntax = new(
        "SFPG1002", ErrorKind.InvalidData,
        "Config file is not valid JSON",
        "Fix the JSON at the line and column given: look for a missing comma, quote or bracket just before it.");

    public static readonly ErrorCode ConfigUnknownKey = new(
        "SFPG1003", ErrorKind.InvalidArgument,
        "Unknown key in config",
        "Remove the key or correct its spelling; keys are lower-case snake_case and starting a key with '_' marks it as a comment.");

    public static readonly ErrorCode ConfigMissingRequired = new(
        "SFPG1004", ErrorKind.InvalidArgument,
        "Required config setting missing or empty",
        "Add the setting with a non-empty value.");

    public static readonly ErrorCode ConfigWrongType = new(
        "SFPG1005", ErrorKind.InvalidArgument,
        "Config setting has the wrong JSON type",
        "Write the value with the JSON type the setting expects (text in quotes, numbers and true/false without).");

    public static readonly ErrorCode ConfigValueOutOfRange = new(
        "SFPG1006", ErrorKind.InvalidArgument,
        "Config number out of range",
        "Use a value inside the range given in the message.");

    public static readonly ErrorCode ConfigInvalidValue = new(
        "SFPG1007", ErrorKind.InvalidArgument,
        "Config setting has a value that is not allowed",
        "Use one of the values listed in the message.");

    public static readonly ErrorCode ConfigVariableUnset = new(
        "SFPG1008", ErrorKind.InvalidArgument,
        "Config uses an environment variable that is not set",
        "Set the variable in the environment or in the .env file, or give a default with ${NAME:-default}.");

    public static readonly ErrorCode ConfigVariableMalformed = new(
        "SFPG1009", ErrorKind.InvalidArgument,
        "Malformed ${...} variable reference",
        "Write variables as ${NAME} or ${NAME:-default}, NAME being letters, digits and '_'; write $${ for a literal ${.");

    public static readonly ErrorCode ConfigEnvFileNotFound = new(
        "SFPG1010", ErrorKind.ObjectNotFound,
        "The .env file named was not found",
        "Check the path given to --env-file or in the config's env_file; it is resolved from the config file's folder.");

    public static readonly ErrorCode ConfigEnvFileSyntax = new(
        "SFPG1011", ErrorKind.InvalidData,
        "A line of the .env file is not NAME=value",
        "Write one NAME=value per line; quote values with spaces or '#'; start comment lines with '#'.");

    public static readonly ErrorCode ConfigDuplicateKey = new(
        "SFPG1012", ErrorKind.InvalidArgument,
        "The same key appears twice in one JSON object",
        "Keep one of the two entries; with both, which one applies would be a guess.");

    public static readonly ErrorCode ConfigChunkingTypesMismatch = new(
        "SFPG1013", ErrorKind.InvalidArgument,
        "chunking_columns and chunking_column_types differ in length",
        "Give exactly one type in chunking_column_types for each column of chunking_columns, in the same order.");

    public static readonly ErrorCode ConfigChunkingTypeUnsupported = new(
        "SFPG1014", ErrorKind.InvalidArgument,
        "Unsupported chunking column type",
        "Use one of the chunking types listed in the message.");

    public static readonly ErrorCode ConfigUpsertWithoutUniqueness = new(
        "SFPG1015", ErrorKind.InvalidArgument,
        "Upsert load without uniqueness_columns",
        "Set uniqueness_columns to the target's primary or unique key, or set truncate_onstart to reload the table instead of upserting.");

    public static readonly ErrorCode ConfigWatermarkPairIncomplete = new(
        "SFPG1016", ErrorKind.InvalidArgument,
        "Only one of source_watermark and target_watermark is set",
        "Set both (the same column name twice when it is not renamed), or neither.");

    public static readonly ErrorCode ConfigDuplicateTarget = new(
        "SFPG1017", ErrorKind.InvalidArgument,
        "Two tables of one source load the same target table",
        "Give each table entry its own target, or disable all but one with \"enabled\": false.");

    public static readonly ErrorCode ConfigDuplicateSourceName = new(
        "SFPG1018", ErrorKind.InvalidArgument,
        "Two sources have the same source_name",
        "Give every source a unique source_name; runs and resume are keyed by it.");

    public static readonly ErrorCode ConfigSourceNotFound = new(
        "SFPG1019", ErrorKind.ObjectNotFound,
        "No source has the requested name",
        "Use one of the source_name values of the config (names are case-sensitive).");

    public static readonly ErrorCode ConfigSnowflakeAuthMissing = new(
        "SFPG1020", ErrorKind.Authentication,
        "No usable Snowflake credentials",
        "Set snowflake.rsa_key (key-pair JWT) or snowflake.token (OAuth or programmatic access token), normally as ${VAR}.");

    public static readonly ErrorCode ConfigColumnMappingConflict = new(
        "SFPG1021", ErrorKind.InvalidArgument,
        "column_mapping contradicts the watermark pair",
        "Map source_watermark to target_watermark in column_mapping, or drop the entry and let the pair map itself.");

    public static readonly ErrorCode ConfigNoReloadKey = new(
        "SFPG1022", ErrorKind.InvalidArgument,
        "Table has neither truncate_onstart nor uniqueness_columns",
        "Set truncate_onstart for full reloads, or uniqueness_columns so a later run into a filled table can upsert.");

    public static readonly ErrorCode ConfigInertSetting = new(
        "SFPG1023", ErrorKind.InvalidArgument,
        "Setting has no effect together with another setting",
        "Remove the setting, or the one that makes it inert.");

    public static readonly ErrorCode ConfigNothingToRun = new(
        "SFPG1024", ErrorKind.InvalidArgument,
        "Config selects no table to copy",
        "Enable at least one source and one of its tables, or select an enabled source.");

    public static readonly ErrorCode ConfigInvalidIdentifier = new(
        "SFPG1025", ErrorKind.InvalidArgument,
        "Malformed table or column name",
        "Write a plain name (DIMPAYER, Payer Id) or a complete quoted name (\"\\\"lowercase_table\\\"\"), with any inner double quote doubled.");

    public static readonly ErrorCode ConfigAmbiguousCase = new(
        "SFPG1026", ErrorKind.InvalidArgument,
        "Mixed-case Snowflake name without quotes is read as upper case",
        "If the Snowflake object was created with quotes in this exact case, write it quoted: \"\\\"Name\\\"\".");

    public static readonly ErrorCode ConfigSecretInPlainText = new(
        "SFPG1027", ErrorKind.InvalidArgument,
        "Secret written literally in the config file",
        "Put the secret in the environment or the .env file and write ${NAME} in the config.");

    public static readonly ErrorCode ConfigConflictingAlias = new(
        "SFPG1028", ErrorKind.InvalidArgument,
        "A setting and its older alias are both set, to different values",
        "Keep only the current name of the setting.");

    public static readonly ErrorCode ConfigDuplicateColumn = new(
        "SFPG1029", ErrorKind.InvalidArgument,
        "The same column is listed twice",
        "List each column once.");

    public static readonly ErrorCode ConfigFilterComment = new(
        "SFPG1030", ErrorKind.InvalidArgument,
        "source_filter contains a comment",
        "Remove the comment (--, // or /* */) from source_filter: a comment would hide the rest of the statement the filter is placed in; describe the filter in a \"_comment\" key instead.");

    public static readonly ErrorCode ConfigFilterStatementSeparator = new(
        "SFPG1031", ErrorKind.InvalidArgument,
        "source_filter contains ';'",
        "Write source_filter as one predicate without ';' (a ';' inside a quoted string is fine): it is placed in a WHERE clause, never run as statements of its own.");

    public static readonly ErrorCode ConfigFilterUnbalanced = new(
        "SFPG1032", ErrorKind.InvalidArgument,
        "source_filter's parentheses do not balance",
        "Make every ')' in source_filter close a '(' of the filter itself and close every '(' it opens, so the filter stays one predicate inside each chunk's bounds.");

    public static readonly ErrorCode ConfigFilterUnterminated = new(
        "SFPG1033", ErrorKind.InvalidArgument,
        "source_filter has an unterminated string, quoted name or $$ literal",
        "Close the literal or quoted name (write a quote inside '...' as '' and inside \"...\" as \"\").");

    public static readonly ErrorCode ConfigFilterDialectAmbiguity = new(
        "SFPG1034", ErrorKind.InvalidArgument,
        "source_filter has text Snowflake and PostgreSQL read differently",
        "Write a backslash in a string as CHR(92) (e.g. 'a' || CHR(92) || 'b'), and literals as '...' or $$...$$ rather than $name$...$name$: where such a literal ends depends on who reads it.");

    public static readonly ErrorCode ConfigPostgresNameTooLong = new(
        "SFPG1035", ErrorKind.InvalidArgument,
        "PostgreSQL name longer than 63 bytes",
        "Shorten the name to at most 63 bytes (UTF-8): PostgreSQL cuts longer names, so the table or column written here would not be the one loaded.");

    public static readonly ErrorCode ConfigPostgresNameCollision = new(
        "SFPG1036", ErrorKind.InvalidArgument,
        "Two target tables are the same table once PostgreSQL cuts their names to 63 bytes",
        "Give the two targets names that differ within their first 63 bytes; as they are, the second load would replace the first one's rows.");

    public static readonly ErrorCode ConfigColumnMappingSameTarget = new(
        "SFPG1037", ErrorKind.InvalidArgument,
        "Two source columns are mapped to one target column",
        "Map each source column to its own target column; a target column can be filled from one source column only, and the other's values would be dropped.");

    public static readonly ErrorCode ConfigStatusDatabaseNotUsed = new(
        "SFPG1040", ErrorKind.InvalidArgument,
        "status_tracking_database names a database other than the target database, and is not used",
        "Remove status_tracking_database: status is kept in each target database's migration_status schema, committed together with each chunk's rows.");
}
