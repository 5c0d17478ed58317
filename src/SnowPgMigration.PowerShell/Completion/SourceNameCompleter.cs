using System.Collections;

namespace SnowPgMigration.PowerShell.Completion;

/// <summary>Completes -Source with the config's <c>source_name</c> values.</summary>
public sealed class SourceNameCompleter : ConfigCompleter
{
    internal override IEnumerable<string> Names(string? configPath, IDictionary? boundParameters) =>
        ConfigNames.Sources(configPath);
}
