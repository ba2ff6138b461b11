namespace EcgClip.Testing;

/// <summary>Locates the repository root and the read-only shared data folder (<c>&lt;repo&gt;/../shared/data</c>).</summary>
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

    /// <summary>A path under the shared data folder; fails the test with a clear message when the folder is absent.</summary>
    public static string Shared(params string[] parts)
    {
        string path = Path.Combine([SharedData, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InvalidOperationException($"shared test data not found: {path} (expected ../shared/data beside the repository, or set ECGCLIP_SHARED_DATA)");
        return path;
    }

    /// <summary>A path under the repository.</summary>
    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);
}
