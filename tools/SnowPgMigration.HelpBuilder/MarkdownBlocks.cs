namespace SnowPgMigration.HelpBuilder;

/// <summary>
/// The markdown this project's help uses, split into blocks: headings, fenced code and paragraphs
/// (soft-wrapped lines joined; each list item its own paragraph).
/// </summary>
internal static class MarkdownBlocks
{
    public static List<Block> Parse(IReadOnlyList<string> lines, int firstLine, string file)
    {
        var blocks = new List<Block>();
        var paragraph = new List<string>();
        var paragraphLine = 0;

        void Flush()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new Block(BlockKind.Paragraph, string.Join(' ', paragraph), null, paragraphLine));
                paragraph.Clear();
            }
        }

        for (var i = firstLine; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                var language = trimmed[3..].Trim();
                var start = i + 1;
                var code = new List<string>();
                i++;
                while (i < lines.Count && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal))
                {
                    code.Add(lines[i]);
                    i++;
                }

                if (i == lines.Count)
                {
                    throw new HelpFormatException(file, start, "a ``` code fence is never closed.");
                }

                blocks.Add(new Block(BlockKind.Code, string.Join('\n', code), language, start));
                continue;
            }

            if (trimmed.StartsWith('#'))
            {
                Flush();
                var level = trimmed.TakeWhile(c => c == '#').Count();
                blocks.Add(new Block(BlockKind.Heading, trimmed[level..].Trim(), level.ToString(System.Globalization.CultureInfo.InvariantCulture), i + 1));
                continue;
            }

            if (trimmed.Length == 0)
            {
                Flush();
                continue;
            }

            if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal) || IsNumbered(trimmed))
            {
                Flush();
            }

            if (paragraph.Count == 0)
            {
                paragraphLine = i + 1;
            }

            paragraph.Add(trimmed);
        }

        Flush();
        return blocks;
    }

    private static bool IsNumbered(string line)
    {
        var digits = line.TakeWhile(char.IsDigit).Count();
        return digits > 0 && digits + 1 < line.Length && line[digits] == '.' && line[digits + 1] == ' ';
    }
}

internal enum BlockKind
{
    Heading,
    Paragraph,
    Code,
}

/// <summary>A heading (Info = level), a paragraph, or fenced code (Info = language).</summary>
internal sealed record Block(BlockKind Kind, string Text, string? Info, int Line)
{
    public int Level => Kind == BlockKind.Heading ? int.Parse(Info!, System.Globalization.CultureInfo.InvariantCulture) : 0;
}
