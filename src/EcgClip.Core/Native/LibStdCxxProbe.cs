using System.Text.RegularExpressions;

namespace EcgClip.Core.Native;

/// <summary>Finds the system's <c>libstdc++.so.6</c> and the highest <c>GLIBCXX_3.4.N</c> it defines.</summary>
public static partial class LibStdCxxProbe
{
    private static readonly string[] StandardDirectories =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib",
    ];

    /// <summary>
    /// The libstdc++ the dynamic loader will use: the one already mapped into this process if any
    /// (read from <c>/proc/self/maps</c>), else the first in <c>LD_LIBRARY_PATH</c> or the standard directories.
    /// Null when none is found (for example on a musl system without libstdc++).
    /// </summary>
    public static string? Locate()
    {
        try
        {
            if (File.Exists("/proc/self/maps"))
            {
                foreach (var line in File.ReadLines("/proc/self/maps"))
                {
                    int slash = line.IndexOf('/');
                    if (slash >= 0 && line.AsSpan(slash).Contains("/libstdc++.so".AsSpan(), StringComparison.Ordinal))
                        return line[slash..].Trim();
                }
            }
        }
        catch (IOException) { /* fall through to the directory search */ }
        catch (UnauthorizedAccessException) { }

        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(StandardDirectories);
        foreach (var dir in dirs)
        {
            string candidate = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The versions <c>GLIBCXX_3.4.N</c> defined by the library at <paramref name="path"/>, highest N first.</summary>
    public static IReadOnlyList<int> GlibcxxMinorVersions(string path) => GlibcxxMinorVersions(ElfVersionInfo.ReadVersionDefinitions(path));

    private static List<int> GlibcxxMinorVersions(IEnumerable<string> definitions) =>
        definitions
            .Select(v => GlibcxxPattern().Match(v))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .OrderDescending()
            .ToList();

    /// <summary>The highest <c>GLIBCXX_3.4.N</c> of <paramref name="path"/>, e.g. <c>GLIBCXX_3.4.30</c>; null when it defines none.</summary>
    public static string? HighestGlibcxx(string path) => Highest(ElfVersionInfo.ReadVersionDefinitions(path));

    /// <summary>The highest <c>GLIBCXX_3.4.N</c> among already-read version <paramref name="definitions"/>; null when none.</summary>
    public static string? Highest(IEnumerable<string> definitions)
    {
        var versions = GlibcxxMinorVersions(definitions);
        return versions.Count == 0 ? null : $"GLIBCXX_3.4.{versions[0]}";
    }

    /// <summary>True when the library at <paramref name="path"/> defines <paramref name="version"/>.</summary>
    public static bool Defines(string path, string version) => ElfVersionInfo.ReadVersionDefinitions(path).Contains(version);

    [GeneratedRegex(@"^GLIBCXX_3\.4\.(\d+)$")]
    private static partial Regex GlibcxxPattern();
}
