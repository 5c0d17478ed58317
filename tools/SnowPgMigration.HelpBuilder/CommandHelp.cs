namespace SnowPgMigration.HelpBuilder;

/// <summary>One cmdlet's help page, as read from its platyPS markdown.</summary>
public sealed record CommandHelp
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public string Synopsis { get; init; } = "";

    /// <summary>Parameter set names in the order of the SYNTAX section, with their syntax lines.</summary>
    public IReadOnlyList<SyntaxHelp> Syntax { get; init; } = [];

    public IReadOnlyList<string> Description { get; init; } = [];

    public IReadOnlyList<ExampleHelp> Examples { get; init; } = [];

    public IReadOnlyList<ParameterHelp> Parameters { get; init; } = [];

    public IReadOnlyList<TypeHelp> Inputs { get; init; } = [];

    public IReadOnlyList<TypeHelp> Outputs { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public IReadOnlyList<LinkHelp> RelatedLinks { get; init; } = [];

    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Contains('-', StringComparison.Ordinal) ? Name.Split('-', 2)[1] : "";
}

/// <summary>A parameter set's syntax line, as written under <c>### SetName</c>.</summary>
public sealed record SyntaxHelp(string ParameterSet, bool IsDefault, string Code);

/// <summary>An example: its title, code, and the paragraphs that explain it.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A parameter: its description paragraphs and the fields of its yaml block.</summary>
public sealed record ParameterHelp
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Description { get; init; } = [];

    public string Type { get; init; } = "";

    /// <summary>The sets named in the yaml block; empty for <c>(All)</c>.</summary>
    public IReadOnlyList<string> ParameterSets { get; init; } = [];

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public bool Required { get; init; }

    /// <summary><c>Named</c> or a 0-based position.</summary>
    public string Position { get; init; } = "Named";

    public string DefaultValue { get; init; } = "None";

    public string PipelineInput { get; init; } = "False";

    public bool Globbing { get; init; }

    public IReadOnlyList<string> AcceptedValues { get; init; } = [];

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool InSet(string set) => ParameterSets.Count == 0 || ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase);
}

/// <summary>An input or output type and what it means.</summary>
public sealed record TypeHelp(string Type, IReadOnlyList<string> Description);

/// <summary>A related link: text and an optional address.</summary>
public sealed record LinkHelp(string Text, string Uri);
