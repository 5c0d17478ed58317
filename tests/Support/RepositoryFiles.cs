namespace SnowPgMigration.Tests.Support;

/// <summary>Files of the repository the tests run in (samples, docs, scripts, built programs), found from the test's folder.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "SnowPgMigration.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No SnowPgMigration.sln above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    });

    /// <summary>The folder that holds SnowPgMigration.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The path of <paramref name="parts"/> under the repository root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
