using System.Globalization;
using System.Text.Json;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>One JSON object of the config, read setting by setting with type checks and findings.</summary>
internal sealed class ConfigObject
{
    private readonly ConfigDocumentReader _reader;
    private readonly JsonElement _element;

    public ConfigObject(ConfigDocumentReader reader, JsonElement element, string path)
    {
        _reader = reader;
        _element = element;
        Path = path;
    }

    public string Path { get; }

    public string PathOf(string key) => ConfigDocumentReader.Child(Path, key);

    /// <summary>True when the key is present with a value other than null.</summary>
    public bool Has(string key) => TryGet(key, out _);

    /// <summary>
    /// A text setting with variables expanded; null when absent, null, of the wrong type, or unresolved.
    /// A required setting that is absent or blank is reported.
    /// </summary>
    public string? String(string key, bool required = false, bool secret = false)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            if (required)
            {
                _reader.Error(ErrorCatalog.ConfigMissingRequired, path, $"'{key}' is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _reader.Error(ErrorCatalog.ConfigWrongType, path, $"expected a string but found {ConfigDocumentReader.Describe(value)}.");
            return null;
        }

        var raw = value.GetString()!;
        var expansion = _reader.ExpandString(raw, path, secret);
        if (_reader.IsUnresolved(path))
        {
            return null;
        }

        if (secret && !expansion.UsedVariables && raw.Length > 0)
        {
            _reader.Warning(
                ErrorCatalog.ConfigSecretInPlainText,
                path,
                $"'{key}' is a secret written literally in the config file.",
                $"Move it to the environment or the .env file and write \"${{NAME}}\" here.");
        }

        if (required && string.IsNullOrWhiteSpace(expansion.Value))
        {
            _reader.Error(
                ErrorCatalog.ConfigMissingRequired,
                path,
                expansion.UsedVariables ? $"'{key}' is empty after variable substitution." : $"'{key}' is empty.");
            return null;
        }

        return expansion.Value;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; a string is accepted when it is a variable reference.</summary>
    public int? Int(string key, int min, int max)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            return null;
        }

        long number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetInt64(out number))
            {
                _reader.Error(ErrorCatalog.ConfigWrongType, path, $"expected a whole number but found {value.GetRawText()}.");
                return null;
            }
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString()!.Contains("${", StringComparison.Ordinal))
        {
            var expansion = _reader.ExpandString(value.GetString()!, path);
            if (_reader.IsUnresolved(path))
            {
                return null;
            }

            if (!long.TryParse(expansion.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            {
                _reader.Error(ErrorCatalog.ConfigWrongType, path, $"expected a whole number but the variable gave '{expansion.Value}'.");
                return null;
            }
        }
        else
        {
            _reader.Error(
                ErrorCatalog.ConfigWrongType,
                path,
                $"expected a whole number but found {ConfigDocumentReader.Describe(value)}.",
                value.ValueKind == JsonValueKind.String ? "Write the number without quotes, e.g. 8 rather than \"8\"." : null);
            return null;
        }

        if (number < min || number > max)
        {
            _reader.Error(
                ErrorCatalog.ConfigValueOutOfRange,
                path,
                $"{number} is outside the allowed range {min.ToString("N0", CultureInfo.InvariantCulture)}-{max.ToString("N0", CultureInfo.InvariantCulture)}.",
                $"Use a value from {min} to {max}.");
            return null;
        }

        return (int)number;
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>], fractions allowed.</summary>
    public double? Number(string key, double min, double max)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            _reader.Error(ErrorCatalog.ConfigWrongType, path, $"expected a number but found {ConfigDocumentReader.Describe(value)}.");
            return null;
        }

        if (number < min || number > max)
        {
            _reader.Error(ErrorCatalog.ConfigValueOutOfRange, path, $"{value.GetRawText()} is outside the allowed range {min.ToString(CultureInfo.InvariantCulture)}-{max.ToString(CultureInfo.InvariantCulture)}.",
                $"Use a value from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return number;
    }

    /// <summary>true/false; a string is accepted when it is a variable reference.</summary>
    public bool? Bool(string key)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Contains("${", StringComparison.Ordinal))
        {
            var expansion = _reader.ExpandString(value.GetString()!, path);
            if (_reader.IsUnresolved(path))
            {
                return null;
            }

            if (bool.TryParse(expansion.Value.Trim(), out var flag))
            {
                return flag;
            }

            _reader.Error(ErrorCatalog.ConfigWrongType, path, $"expected true or false but the variable gave '{expansion.Value}'.");
            return null;
        }

        _reader.Error(
            ErrorCatalog.ConfigWrongType,
            path,
            $"expected true or false but found {ConfigDocumentReader.Describe(value)}.",
            value.ValueKind == JsonValueKind.String ? "Write true or false without quotes." : null);
        return null;
    }

    /// <summary>An array of non-empty strings; null when absent or null. Bad items are reported and left out.</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            _reader.Error(
                ErrorCatalog.ConfigWrongType,
                path,
                $"expected an array of strings but found {ConfigDocumentReader.Describe(value)}.",
                value.ValueKind == JsonValueKind.String ? $"Write a list even for one column: [\"{value.GetString()}\"]." : null);
            return null;
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = ConfigDocumentReader.Item(path, index++);
            if (item.ValueKind != JsonValueKind.String)
            {
                _reader.Error(ErrorCatalog.ConfigWrongType, itemPath, $"expected a string but found {ConfigDocumentReader.Describe(item)}.");
                continue;
            }

            var expansion = _reader.ExpandString(item.GetString()!, itemPath);
            if (_reader.IsUnresolved(itemPath))
            {
                _reader.MarkUnresolved(path);
                continue;
            }

            if (string.IsNullOrWhiteSpace(expansion.Value))
            {
                _reader.Error(ErrorCatalog.ConfigMissingRequired, itemPath, "column name is empty.", "Remove the empty entry or write the column name.");
                continue;
            }

            items.Add(expansion.Value);
        }

        return items;
    }

    /// <summary>An object of string to string; null when absent or null. Bad entries are reported and left out.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? StringMap(string key)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            _reader.Error(
                ErrorCatalog.ConfigWrongType,
                path,
                $"expected an object {{ \"source column\": \"target column\" }} but found {ConfigDocumentReader.Describe(value)}.");
            return null;
        }

        var entries = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var entryPath = ConfigDocumentReader.Child(path, property.Name);
            if (!seen.Add(property.Name))
            {
                _reader.Error(ErrorCatalog.ConfigDuplicateKey, entryPath, $"'{property.Name}' appears more than once in this object.");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                _reader.Error(ErrorCatalog.ConfigWrongType, entryPath, $"expected a string but found {ConfigDocumentReader.Describe(property.Value)}.");
                continue;
            }

            var expansion = _reader.ExpandString(property.Value.GetString()!, entryPath);
            if (_reader.IsUnresolved(entryPath))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(expansion.Value))
            {
                _reader.Error(ErrorCatalog.ConfigMissingRequired, entryPath, $"the target column for '{property.Name}' is empty.");
                continue;
            }

            entries.Add(new KeyValuePair<string, string>(property.Name, expansion.Value));
        }

        return entries;
    }

    /// <summary>A nested object; a required one that is absent is reported.</summary>
    public ConfigObject? Object(string key, IReadOnlyCollection<string> knownKeys, bool required)
    {
        if (!TryGet(key, out var value))
        {
            if (required)
            {
                _reader.Error(ErrorCatalog.ConfigMissingRequired, PathOf(key), $"the '{key}' block is required.");
            }

            return null;
        }

        return _reader.AsObject(value, PathOf(key), knownKeys);
    }

    /// <summary>The elements of an array setting; null (and reported when required) when absent or not an array.</summary>
    public IReadOnlyList<JsonElement>? Array(string key, bool required)
    {
        var path = PathOf(key);
        if (!TryGet(key, out var value))
        {
            if (required)
            {
                _reader.Error(ErrorCatalog.ConfigMissingRequired, path, $"'{key}' is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            _reader.Error(ErrorCatalog.ConfigWrongType, path, $"expected an array [ ... ] but found {ConfigDocumentReader.Describe(value)}.");
            return null;
        }

        return value.EnumerateArray().ToList();
    }

    /// <summary>Items in an array setting: 0 when absent or null, null when it is not an array.</summary>
    public int? ArrayLength(string key) =>
        !TryGet(key, out var value) ? 0 : value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : null;

    /// <summary>True when the setting is a string written with a <c>${...}</c> reference.</summary>
    public bool UsesVariable(string key) =>
        TryGet(key, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString()!.Contains("${", StringComparison.Ordinal);

    private bool TryGet(string key, out JsonElement value) =>
        _element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;
}
