namespace EcgClip.Testing;

/// <summary>Why a test needs the shared data, and what a developer without it has to fetch.</summary>
internal static class SharedDataReason
{
    private static readonly Dictionary<string, string> s_sources = new(StringComparer.Ordinal)
    {
        ["ge_muse_xml_egm"] = "the GE MUSE XML example of the EGM R package (GPL-3, so not redistributed here: put its inst/extdata/muse-* files into ge_muse_xml_egm/)",
        ["ptbxl"] = "the PTB-XL WFDB folder beyond the embedded 100 Hz subset (PhysioNet PTB-XL v1.0.3: ptbxl_database.csv, scp_statements.csv, records100/ and records500/ for ecg_id 1-200 into ptbxl/)",
    };

    /// <summary>
    /// The skip reason for a test needing <paramref name="relativePath"/> under the shared data folder, or null when it
    /// must run: the data is there, or CI runs with the shared folder present (then a missing file fails the test
    /// loudly instead of hiding behind a skip).
    /// </summary>
    public static string? For(string relativePath)
    {
        string[] parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (TestPaths.SharedExists(parts)) return null;
        if (TestPaths.SharedDataPresent && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) return null;
        string what = s_sources.TryGetValue(parts[0], out var w) ? w : "the shared test data";
        return $"needs {relativePath} under {TestPaths.SharedData}: {what}; place ../shared/data beside the repository or set ECGCLIP_SHARED_DATA (see README, Test data)";
    }
}

/// <summary>A fact that needs non-redistributable data from the shared data folder; skipped, with the reason, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute for data at <paramref name="relativePath"/> (e.g. "ge_muse_xml_egm/muse-sinus.xml").</summary>
    public SharedDataFactAttribute(string relativePath)
    {
        if (SharedDataReason.For(relativePath) is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs non-redistributable data from the shared data folder; skipped, with the reason, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    /// <summary>Creates the attribute for data at <paramref name="relativePath"/>.</summary>
    public SharedDataTheoryAttribute(string relativePath)
    {
        if (SharedDataReason.For(relativePath) is { } reason) Skip = reason;
    }
}
