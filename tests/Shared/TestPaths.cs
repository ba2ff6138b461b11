using EcgClip.Signal.Datasets;

namespace EcgClip.Testing;

/// <summary>
/// Locates the test data: committed fixtures (<c>tests/fixtures</c>), the embedded PTB-XL subset
/// (<c>src/EcgClip.Signal/EmbeddedData/ptbxl</c>), and the optional read-only shared data folder
/// (<c>&lt;repo&gt;/../shared/data</c> or <c>$ECGCLIP_SHARED_DATA</c>) for material that is not redistributed.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> s_repoRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EcgClip.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("EcgClip.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder holding EcgClip.sln.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary><c>&lt;repo&gt;/../shared/data</c>; override with the ECGCLIP_SHARED_DATA environment variable.</summary>
    public static string SharedData =>
        Environment.GetEnvironmentVariable("ECGCLIP_SHARED_DATA") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>Whether the shared data folder exists at all.</summary>
    public static bool SharedDataPresent => Directory.Exists(SharedData);

    /// <summary>Whether a path under the shared data folder exists.</summary>
    public static bool SharedExists(params string[] parts)
    {
        string path = Path.Combine([SharedData, .. parts]);
        return File.Exists(path) || Directory.Exists(path);
    }

    /// <summary>
    /// A path under the shared data folder; fails the test with a clear message when it is absent. Tests that call it
    /// carry <see cref="SharedDataFactAttribute"/> (or the Theory one), which skips them, with the reason, when the data is absent.
    /// </summary>
    public static string Shared(params string[] parts)
    {
        string path = Path.Combine([SharedData, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InvalidOperationException($"shared test data not found: {path} (expected ../shared/data beside the repository, or set ECGCLIP_SHARED_DATA)");
        return path;
    }

    /// <summary>A committed fixture under <c>tests/fixtures</c> (always present in a clone).</summary>
    public static string Fixture(params string[] parts)
    {
        string path = Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InvalidOperationException($"committed test fixture missing: {path} (tests/fixtures is part of the repository)");
        return path;
    }

    /// <summary>The embedded PTB-XL folder of the repository (pack + tables).</summary>
    public static string EmbeddedData => Path.Combine(RepoRoot, "src", "EcgClip.Signal", "EmbeddedData", "ptbxl");

    private static readonly Lazy<string> s_ptbxl = new(() =>
    {
        if (SharedExists("ptbxl", "ptbxl_database.csv")) return Shared("ptbxl");
        // No shared copy: write the embedded records out as a PTB-XL WFDB folder once, reused by later test runs.
        long stamp = new FileInfo(Path.Combine(EmbeddedData, EmbeddedPtbXl.PackFileName)).Length;
        string dir = Path.Combine(Path.GetTempPath(), $"ecgclip-test-ptbxl-{stamp}");
        if (!File.Exists(Path.Combine(dir, "ptbxl_database.csv")))
        {
            try { EmbeddedPtbXlExport.Export(dir, EmbeddedData); }
            catch (IOException) when (File.Exists(Path.Combine(dir, "ptbxl_database.csv"))) { } // another test process won the race
        }
        return dir;
    });

    /// <summary>
    /// A PTB-XL 100 Hz folder of WFDB records with its tables: <c>../shared/data/ptbxl</c> when present, else the
    /// embedded subset written out as WFDB (the same 1,999 records, byte-identical <c>.dat</c> files, no records500).
    /// </summary>
    public static string PtbXl(params string[] parts) => Path.Combine([s_ptbxl.Value, .. parts]);

    /// <summary>A path under the repository.</summary>
    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);
}
