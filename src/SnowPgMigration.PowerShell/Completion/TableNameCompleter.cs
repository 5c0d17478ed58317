using System.Collections;
using System.Management.Automation;

namespace SnowPgMigration.PowerShell.Completion;

/// <summary>Completes -Table with the config's target table names (of -Source when it is given).</summary>
public sealed class TableNameCompleter : ConfigCompleter
{
    internal override IEnumerable<string> Names(string? configPath, IDictionary? boundParameters)
    {
        var source = boundParameters?["Source"];
        var name = source is PSObject wrapped ? wrapped.BaseObject?.ToString() : source?.ToString();
        return ConfigNames.Tables(configPath, string.IsNullOrWhiteSpace(name) ? null : name);
    }
}
