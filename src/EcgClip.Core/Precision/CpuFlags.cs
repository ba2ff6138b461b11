namespace EcgClip.Core.Precision;

/// <summary>The CPU feature flags Linux lists in <c>/proc/cpuinfo</c> (x86 <c>flags</c>, Arm <c>Features</c>).</summary>
public static class CpuFlags
{
    /// <summary>Where Linux lists them.</summary>
    public const string DefaultPath = "/proc/cpuinfo";

    // A CPU's flags do not change while the process runs: read them once.
    private static readonly Lazy<IReadOnlySet<string>?> s_thisCpu = new(() => Read(DefaultPath, out _));

    /// <summary>This machine's flags, or null when they cannot be read (not Linux, no permission).</summary>
    public static IReadOnlySet<string>? ThisCpu() => s_thisCpu.Value;

    /// <summary>Reads the flags from <paramref name="path"/>; null with the reason when it cannot.</summary>
    public static IReadOnlySet<string>? Read(string path, out string reason)
    {
        if (!File.Exists(path))
        {
            reason = $"{path} not found: CPU flags not checked";
            return null;
        }
        try
        {
            var flags = Parse(File.ReadAllText(path), out string? key);
            reason = flags is null ? $"{path}: no flags line" : $"{path}: {key}";
            return flags;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"{path}: {e.Message}";
            return null;
        }
    }

    /// <summary>The first processor's flags in a <c>/proc/cpuinfo</c> text; <paramref name="key"/> is <c>flags</c> (x86) or <c>Features</c> (Arm).</summary>
    public static IReadOnlySet<string>? Parse(string cpuInfo, out string? key)
    {
        ArgumentNullException.ThrowIfNull(cpuInfo);
        foreach (var line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            string name = line[..colon].Trim();
            if (name is not ("flags" or "Features")) continue;
            key = name;
            return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        key = null;
        return null;
    }
}
