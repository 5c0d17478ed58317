namespace SnowPgMigration.Tests.Support;

/// <summary>A temporary folder for config, .env and key files, deleted with the test.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sfpg-test-").FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> (sub-folders created) and returns the file's path.</summary>
    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
