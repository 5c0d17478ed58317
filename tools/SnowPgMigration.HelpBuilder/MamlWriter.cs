using System.Text;
using System.Xml;

namespace SnowPgMigration.HelpBuilder;

/// <summary>
/// Writes cmdlet help as MAML, the XML PowerShell's Get-Help reads from
/// <c>en-US/&lt;Assembly&gt;.dll-Help.xml</c> (the same layout platyPS's New-ExternalHelp produces).
/// </summary>
public static class MamlWriter
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MsHelp = "http://msdn.microsoft.com/mshelp";

    public static string Write(IEnumerable<CommandHelp> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", Msh);
            xml.WriteAttributeString("schema", "maml");
            foreach (var command in commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
            {
                WriteCommand(xml, command);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        // XmlWriter over a StringBuilder declares utf-16; the file is written as UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp help)
    {
        xml.WriteStartElement("command", "command", Command);
        xml.WriteAttributeString("xmlns", "maml", null, Maml);
        xml.WriteAttributeString("xmlns", "dev", null, Dev);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelp);

        xml.WriteStartElement("details", Command);
        xml.WriteElementString("name", Command, help.Name);
        xml.WriteElementString("verb", Command, help.Verb);
        xml.WriteElementString("noun", Command, help.Noun);
        Description(xml, [help.Synopsis]);
        xml.WriteEndElement();

        Description(xml, help.Description);

        xml.WriteStartElement("syntax", Command);
        foreach (var set in ParameterSets(help))
        {
            xml.WriteStartElement("syntaxItem", Command);
            xml.WriteElementString("name", Maml, help.Name);
            // As Get-Command shows syntax: positional parameters by position, then required ones, then the rest.
            var ordered = help.Parameters.Where(p => p.InSet(set))
                .OrderBy(p => int.TryParse(p.Position, out var position) ? position : int.MaxValue)
                .ThenBy(p => p.Required ? 0 : 1);
            foreach (var parameter in ordered)
            {
                Parameter(xml, parameter, inSyntax: true);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("parameters", Command);
        foreach (var parameter in help.Parameters)
        {
            Parameter(xml, parameter, inSyntax: false);
        }

        xml.WriteEndElement();

        Types(xml, "inputTypes", "inputType", help.Inputs);
        Types(xml, "returnValues", "returnValue", help.Outputs);

        xml.WriteStartElement("alertSet", Maml);
        xml.WriteStartElement("alert", Maml);
        Paras(xml, help.Notes);
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("examples", Command);
        foreach (var example in help.Examples)
        {
            xml.WriteStartElement("example", Command);
            xml.WriteElementString("title", Maml, $"-------------------------- {example.Title} --------------------------");
            xml.WriteElementString("code", Dev, example.Code);
            xml.WriteStartElement("remarks", Dev);
            Paras(xml, example.Remarks);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        // Get-Help -Online opens the first link that has an address, and only an absolute http(s) one: the
        // page's "online version" comes first (as platyPS writes it), and links between the markdown pages
        // (Get-Foo.md) are kept by name only, so -Online never fails on a relative path.
        xml.WriteStartElement("relatedLinks", Command);
        var links = help.Metadata.TryGetValue("online version", out var online) && WebAddress(online) is not null
            ? help.RelatedLinks.Prepend(new LinkHelp("Online Version:", online))
            : help.RelatedLinks;
        foreach (var link in links)
        {
            xml.WriteStartElement("navigationLink", Maml);
            xml.WriteElementString("linkText", Maml, link.Text);
            xml.WriteElementString("uri", Maml, WebAddress(link.Uri) ?? "");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>The sets of the SYNTAX section, default first; one unnamed set when no parameter names any.</summary>
    private static List<string> ParameterSets(CommandHelp help)
    {
        var named = help.Parameters.SelectMany(p => p.ParameterSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count == 0)
        {
            return ["__AllParameterSets"];
        }

        var ordered = help.Syntax.OrderByDescending(s => s.IsDefault).Select(s => s.ParameterSet)
            .Where(s => named.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
        ordered.AddRange(named.Where(n => !ordered.Contains(n, StringComparer.OrdinalIgnoreCase)));
        return ordered;
    }

    private static void Parameter(XmlWriter xml, ParameterHelp parameter, bool inSyntax)
    {
        xml.WriteStartElement("parameter", Command);
        xml.WriteAttributeString("required", parameter.Required ? "true" : "false");
        xml.WriteAttributeString("variableLength", "true");
        xml.WriteAttributeString("globbing", parameter.Globbing ? "true" : "false");
        xml.WriteAttributeString("pipelineInput", parameter.PipelineInput);
        xml.WriteAttributeString("position", string.Equals(parameter.Position, "named", StringComparison.OrdinalIgnoreCase) ? "named" : parameter.Position);
        xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        xml.WriteElementString("name", Maml, parameter.Name);
        Description(xml, parameter.Description);
        if (inSyntax && parameter.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("parameterValueGroup", Command);
            foreach (var value in parameter.AcceptedValues)
            {
                xml.WriteStartElement("parameterValue", Command);
                xml.WriteAttributeString("required", "false");
                xml.WriteAttributeString("command", "variableLength", Command, "false");
                xml.WriteString(value);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        if (!parameter.IsSwitch || !inSyntax)
        {
            xml.WriteStartElement("parameterValue", Command);
            xml.WriteAttributeString("required", parameter.IsSwitch ? "false" : "true");
            xml.WriteAttributeString("variableLength", "false");
            xml.WriteString(parameter.Type);
            xml.WriteEndElement();
        }

        xml.WriteStartElement("type", Dev);
        xml.WriteElementString("name", Maml, parameter.Type);
        xml.WriteElementString("uri", Maml, "");
        xml.WriteEndElement();
        xml.WriteElementString("defaultValue", Dev, parameter.DefaultValue);
        xml.WriteEndElement();
    }

    private static void Types(XmlWriter xml, string list, string item, IReadOnlyList<TypeHelp> types)
    {
        xml.WriteStartElement(list, Command);
        foreach (var type in types)
        {
            xml.WriteStartElement(item, Command);
            xml.WriteStartElement("type", Dev);
            xml.WriteElementString("name", Maml, type.Type);
            xml.WriteEndElement();
            Description(xml, type.Description);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Description(XmlWriter xml, IEnumerable<string> paragraphs)
    {
        xml.WriteStartElement("description", Maml);
        Paras(xml, paragraphs);
        xml.WriteEndElement();
    }

    private static void Paras(XmlWriter xml, IEnumerable<string> paragraphs)
    {
        foreach (var paragraph in paragraphs)
        {
            xml.WriteElementString("para", Maml, paragraph);
        }
    }

    /// <summary><paramref name="uri"/> when it is an absolute http or https address, else null.</summary>
    private static string? WebAddress(string? uri) =>
        Uri.TryCreate(uri?.Trim(), UriKind.Absolute, out var address) && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps)
            ? uri!.Trim()
            : null;
}
