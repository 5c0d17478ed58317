using System.Globalization;

namespace SnowPgMigration.Cli.Commands;

/// <summary>A plain fixed-width table for the terminal: a header, then one line per row; the last column is not padded.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var lines = rows.Select(r => r.Select(c => c ?? "").ToArray()).ToList();
        if (lines.Count == 0)
        {
            output.WriteLine("(none)");
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, lines.Max(l => l[i].Length))).ToArray();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray(), widths));
        foreach (var line in lines)
        {
            output.WriteLine(Line(line, widths));
        }
    }

    public static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(TimeSpan? value) =>
        value is { } v ? (v.TotalDays >= 1 ? v.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) : v.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)) : "";

    public static string Time(DateTimeOffset? value) => value?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>First line only, at most <paramref name="max"/> characters: errors can be long.</summary>
    public static string Short(string? text, int max = 80)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var line = text.Split('\n', 2)[0].TrimEnd('\r');
        return line.Length <= max ? line : line[..(max - 3)] + "...";
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
