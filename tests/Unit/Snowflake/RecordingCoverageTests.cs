namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>Keeps the conformance suite complete: every recording copied in has a test that replays it.</summary>
public sealed class RecordingCoverageTests
{
    /// <summary>The recordings the tests in this folder replay, by number.</summary>
    private static readonly int[] Replayed =
    [
        18, 23, 26, 28, 29, 30, 31, 32, 33, 34, 35, 37, 41, 45, 87, 91, 96, 108, 139, 142, // RecordedResultTests
        48, 59, 62, 63, 64, 67, 68, 69, 70, 78, 81, 86, 111, 117,                           // RecordedErrorTests
        55, 58, 71, 72, 73, 74, 75, 76, 77, 144, 145,                                        // RecordedChainTests
    ];

    [Fact]
    public void Every_recording_is_replayed_by_a_test()
    {
        var present = Directory.GetFiles(Recording.Directory, "snowflake-*.json")
            .Select(f => int.Parse(Path.GetFileName(f).Split('-')[1], System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToArray();

        present.Should().HaveCount(45, "the recordings README lists 45 files");
        Replayed.Order().Should().Equal(present);
        File.Exists(Path.Combine(Recording.Directory, "README.md")).Should().BeTrue();
        File.Exists(Path.Combine(Recording.Directory, "LICENSE-dbimp")).Should().BeTrue();
    }

    [Fact]
    public void The_recordings_are_kept_once_in_the_repository_in_tests_Support()
    {
        static bool IsBuildOutput(string file) =>
            file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

        var folders = Directory.EnumerateFiles(RepositoryFiles.Path("tests"), "snowflake-*.json", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(Path.GetRelativePath(RepositoryFiles.Root, file)))
            .Select(file => Path.GetRelativePath(RepositoryFiles.Root, Path.GetDirectoryName(file)!))
            .Distinct()
            .ToList();

        folders.Should().Equal([Path.Combine("tests", "Support", "Snowflake", "Recordings")], "every test project uses the one copy");
    }

    [Fact]
    public void Every_recording_loads_with_a_status_and_a_body()
    {
        foreach (var number in Replayed)
        {
            var recording = Recording.Load(number);
            recording.Status.Should().BeOneOf(200, 202, 400, 401, 408, 422);
            recording.ResponseBody.Should().NotBeEmpty(recording.FileName);
        }
    }
}
