namespace SnowPgMigration.HelpBuilder;

/// <summary>Reads a cmdlet page in platyPS markdown (schema 2.0.0) into a <see cref="CommandHelp"/>.</summary>
public static class MarkdownHelpReader
{
    public static CommandHelp ReadFile(string path) => Read(File.ReadAllText(path), path);

    public static CommandHelp Read(string markdown, string file = "(markdown)")
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var (metadata, bodyStart) = ReadFrontMatter(lines, file);
        var blocks = MarkdownBlocks.Parse(lines, bodyStart, file);

        var title = blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1)
            ?? throw new HelpFormatException(file, bodyStart + 1, "the page has no '# Command-Name' title.");
        var sections = Sections(blocks, file);

        return new CommandHelp
        {
            Name = title.Text,
            Metadata = metadata,
            Synopsis = string.Join(" ", Paragraphs(Section(sections, "SYNOPSIS", file, title.Line))),
            Syntax = ReadSyntax(Section(sections, "SYNTAX", file, title.Line)),
            Description = Paragraphs(Section(sections, "DESCRIPTION", file, title.Line)),
            Examples = ReadExamples(Section(sections, "EXAMPLES", file, title.Line), file),
            Parameters = ReadParameters(Section(sections, "PARAMETERS", file, title.Line), file),
            Inputs = ReadTypes(OptionalSection(sections, "INPUTS")),
            Outputs = ReadTypes(OptionalSection(sections, "OUTPUTS")),
            Notes = Paragraphs(OptionalSection(sections, "NOTES")),
            RelatedLinks = ReadLinks(OptionalSection(sections, "RELATED LINKS")),
        };
    }

    private static (Dictionary<string, string> Metadata, int BodyStart) ReadFrontMatter(string[] lines, string file)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            return (metadata, 0);
        }

        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "---")
            {
                return (metadata, i + 1);
            }

            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                metadata[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
            }
        }

        throw new HelpFormatException(file, 1, "the front matter that starts with '---' never ends.");
    }

    private static Dictionary<string, List<Block>> Sections(List<Block> blocks, string file)
    {
        var sections = new Dictionary<string, List<Block>>(StringComparer.OrdinalIgnoreCase);
        List<Block>? current = null;
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading && block.Level == 2)
            {
                if (sections.ContainsKey(block.Text))
                {
                    throw new HelpFormatException(file, block.Line, $"section '## {block.Text}' appears twice.");
                }

                current = [];
                sections[block.Text] = current;
            }
            else if (block.Kind == BlockKind.Heading && block.Level == 1)
            {
                current = null;
            }
            else
            {
                current?.Add(block);
            }
        }

        return sections;
    }

    private static List<Block> Section(Dictionary<string, List<Block>> sections, string name, string file, int line) =>
        sections.TryGetValue(name, out var blocks) ? blocks : throw new HelpFormatException(file, line, $"the page has no '## {name}' section.");

    private static List<Block> OptionalSection(Dictionary<string, List<Block>> sections, string name) =>
        sections.TryGetValue(name, out var blocks) ? blocks : [];

    private static List<string> Paragraphs(IEnumerable<Block> blocks) =>
        blocks.Where(b => b.Kind != BlockKind.Heading).Select(b => b.Text).Where(t => t.Length > 0).ToList();

    /// <summary>Splits a section at its <c>###</c> headings.</summary>
    private static List<(Block Heading, List<Block> Body)> Subsections(List<Block> blocks)
    {
        var result = new List<(Block, List<Block>)>();
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading && block.Level == 3)
            {
                result.Add((block, []));
            }
            else if (result.Count > 0)
            {
                result[^1].Item2.Add(block);
            }
        }

        return result;
    }

    private static List<SyntaxHelp> ReadSyntax(List<Block> section)
    {
        var result = new List<SyntaxHelp>();
        if (section.FirstOrDefault(b => b.Kind != BlockKind.Paragraph) is { Kind: BlockKind.Code } unnamed)
        {
            // A syntax block without a set heading: the command has one parameter set.
            result.Add(new SyntaxHelp("__AllParameterSets", true, unnamed.Text.Trim()));
        }

        foreach (var (heading, body) in Subsections(section))
        {
            var name = heading.Text;
            var isDefault = name.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
            if (isDefault)
            {
                name = name[..^"(Default)".Length].Trim();
            }

            var code = body.FirstOrDefault(b => b.Kind == BlockKind.Code)?.Text.Trim() ?? "";
            result.Add(new SyntaxHelp(name, isDefault, code));
        }

        return result;
    }

    private static List<ExampleHelp> ReadExamples(List<Block> section, string file)
    {
        var result = new List<ExampleHelp>();
        foreach (var (heading, body) in Subsections(section))
        {
            var code = body.Where(b => b.Kind == BlockKind.Code).Select(b => b.Text).ToList();
            if (code.Count == 0)
            {
                throw new HelpFormatException(file, heading.Line, $"example '{heading.Text}' has no code block.");
            }

            result.Add(new ExampleHelp(heading.Text, string.Join("\n\n", code), Paragraphs(body.Where(b => b.Kind == BlockKind.Paragraph))));
        }

        return result;
    }

    private static List<ParameterHelp> ReadParameters(List<Block> section, string file)
    {
        var result = new List<ParameterHelp>();
        foreach (var (heading, body) in Subsections(section))
        {
            if (string.Equals(heading.Text, "CommonParameters", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!heading.Text.StartsWith('-'))
            {
                throw new HelpFormatException(file, heading.Line, $"parameter heading '### {heading.Text}' must start with '-'.");
            }

            var yaml = body.FirstOrDefault(b => b.Kind == BlockKind.Code && b.Info == "yaml")
                ?? throw new HelpFormatException(file, heading.Line, $"parameter {heading.Text} has no ```yaml block.");
            var fields = Yaml(yaml.Text);
            string Field(string key, string fallback) => fields.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
            if (!fields.ContainsKey("Type"))
            {
                throw new HelpFormatException(file, yaml.Line, $"the yaml block of {heading.Text} has no Type.");
            }

            result.Add(new ParameterHelp
            {
                Name = heading.Text[1..],
                Description = Paragraphs(body.Where(b => b.Kind == BlockKind.Paragraph)),
                Type = Field("Type", ""),
                ParameterSets = List(Field("Parameter Sets", "(All)")).Where(s => s != "(All)").ToList(),
                Aliases = List(Field("Aliases", "")),
                Required = string.Equals(Field("Required", "False"), "True", StringComparison.OrdinalIgnoreCase),
                Position = Field("Position", "Named"),
                DefaultValue = Field("Default value", "None"),
                PipelineInput = Field("Accept pipeline input", "False"),
                Globbing = string.Equals(Field("Accept wildcard characters", "False"), "True", StringComparison.OrdinalIgnoreCase),
                AcceptedValues = List(Field("Accepted values", "")),
            });
        }

        return result;
    }

    private static Dictionary<string, string> Yaml(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return fields;
    }

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<TypeHelp> ReadTypes(List<Block> section) =>
        Subsections(section).Select(s => new TypeHelp(s.Heading.Text, Paragraphs(s.Body))).ToList();

    private static List<LinkHelp> ReadLinks(List<Block> section)
    {
        var links = new List<LinkHelp>();
        foreach (var paragraph in Paragraphs(section))
        {
            // [text](uri) - possibly several on one line, or several list items.
            var rest = paragraph.TrimStart('-', '*', ' ');
            while (rest.IndexOf('[', StringComparison.Ordinal) is var open and >= 0
                   && rest.IndexOf("](", open, StringComparison.Ordinal) is var middle and > 0
                   && rest.IndexOf(')', middle) is var close and > 0)
            {
                links.Add(new LinkHelp(rest[(open + 1)..middle], rest[(middle + 2)..close]));
                rest = rest[(close + 1)..];
            }
        }

        return links;
    }
}
