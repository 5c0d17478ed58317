namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>Files of the repository the tests check (manifest, format data, help pages), found from the test's folder.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SnowPgMigration.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No SnowPgMigration.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootFolder.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
