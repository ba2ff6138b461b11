using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace EcgClip.Core.Native;

/// <summary>
/// Makes TorchSharp's <c>libLibTorchSharp.so</c> loadable on Linux systems whose libstdc++ lacks
/// <c>GLIBCXX_3.4.32</c> (Debian 12, Ubuntu 22.04, RHEL 9).
/// </summary>
/// <remarks>
/// The library built with GCC 13 headers needs <c>GLIBCXX_3.4.32</c> only for the marker symbol
/// <c>std::ios_base_library_init()</c>, which nothing calls. When the system lacks that version, this class
/// copies the library into a per-user cache folder, marks that one version need weak
/// (<see cref="ElfVersionPatcher"/>), places symbolic links to the very sibling libraries the app would load
/// (libtorch, libc10, ...) beside it, and loads the copy with <see cref="NativeLibrary.Load(string)"/>.
/// TorchSharp's own later load of <c>libLibTorchSharp.so</c> by name is then satisfied by the already-loaded
/// copy (the dynamic loader matches its soname). The NuGet cache and the app folder are never written.
/// On other systems, or where the system libstdc++ is new enough, it does nothing.
/// It runs once per process (native libraries are process-wide state); EcgClip.Core triggers it from its
/// module initializer, so apps and tests need no manual step.
/// </remarks>
public static class TorchNativeLoader
{
    /// <summary>The version <c>libLibTorchSharp.so</c> 0.107 needs and older systems lack.</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>The dependency that defines <see cref="RequiredGlibcxx"/>.</summary>
    public const string LibStdCxxSoname = "libstdc++.so.6";

    /// <summary>File name of TorchSharp's native bridge.</summary>
    public const string TorchSharpNativeName = "libLibTorchSharp.so";

    // Process-wide by nature: a native library is loaded at most once per process.
    private static readonly Lazy<NativeLoadReport> s_report = new(() => Run(NativeLoaderSettings.FromEnvironment()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Applies the fix once per process (later calls return the first report).</summary>
    public static NativeLoadReport EnsureLoaded() => s_report.Value;

    /// <summary>Runs the detection and, when needed, the patch and load, with explicit settings (used by tests).</summary>
    public static NativeLoadReport Run(NativeLoaderSettings settings)
    {
        var tried = new List<string>();
        if (!settings.IsLinux)
            return new(NativeLoadStatus.NotLinux, null, null, null, null, ["not Linux: nothing to do"], null);
        if (settings.Disabled)
            return new(NativeLoadStatus.Disabled, null, null, null, null, ["ECGCLIP_NATIVE_FIX=0: fix disabled"], null);

        string? source = null;
        foreach (var dir in settings.SearchDirectories)
        {
            string candidate = Path.Combine(dir, TorchSharpNativeName);
            tried.Add($"looked for {candidate}");
            if (File.Exists(candidate)) { source = candidate; break; }
        }
        if (source is null)
            return new(NativeLoadStatus.LibraryNotFound, null, null, null, null, tried, null);

        string? libstdcxx = settings.LibStdCxxPath ?? LibStdCxxProbe.Locate();
        string? highest = null;
        IReadOnlyList<string> systemVersions = [];
        try
        {
            byte[] image = File.ReadAllBytes(source); // read once: checked here, hashed for the cache key below
            var needs = ElfVersionInfo.ReadVersionNeeds(image, source);
            var need = needs.FirstOrDefault(n => n.File == LibStdCxxSoname && n.Version == RequiredGlibcxx);
            tried.Add(need is null ? $"{source} does not need {RequiredGlibcxx}" : $"{source} needs {RequiredGlibcxx} ({(need.IsWeak ? "weak" : "strict")})");
            if (libstdcxx is not null)
            {
                systemVersions = ElfVersionInfo.ReadVersionDefinitions(libstdcxx);
                highest = LibStdCxxProbe.Highest(systemVersions);
                tried.Add($"system libstdc++ {libstdcxx}: highest {highest ?? "none"}");
            }
            if (need is null || need.IsWeak)
                return new(NativeLoadStatus.NotRequired, source, null, libstdcxx, highest, tried, null);
            if (systemVersions.Contains(RequiredGlibcxx))
                return new(NativeLoadStatus.SystemHasVersion, source, null, libstdcxx, highest, tried, null);

            string patched = PreparePatchedCopy(source, image, settings, tried);
            if (settings.Load)
            {
                tried.Add($"NativeLibrary.Load({patched})");
                NativeLibrary.Load(patched);
            }
            return new(NativeLoadStatus.Applied, source, patched, libstdcxx, highest, tried, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ElfFormatException or DllNotFoundException or BadImageFormatException)
        {
            return new(NativeLoadStatus.Failed, source, null, libstdcxx, highest, tried, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Builds (or reuses) the cache folder holding the weak-need copy and links to its siblings. The folder name
    /// hashes the library's content and the sibling paths, so a different TorchSharp or app layout gets its own folder.
    /// The folder is assembled under a temporary name and renamed into place, so a concurrent process never sees half of it.
    /// </summary>
    internal static string PreparePatchedCopy(string source, byte[] image, NativeLoaderSettings settings, List<string> tried)
    {
        var siblings = CollectSiblings(settings.SearchDirectories);
        string key = CacheKey(image, siblings);
        string root = settings.CacheRoot;
        string final = Path.Combine(root, key);
        string patched = Path.Combine(final, TorchSharpNativeName);
        string marker = Path.Combine(final, ".complete");
        if (File.Exists(marker) && File.Exists(patched))
        {
            tried.Add($"reused cached patched copy {patched}");
            return patched;
        }

        Directory.CreateDirectory(root);
        string staging = Path.Combine(root, $".{key}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var outcome = ElfVersionPatcher.MakeWeak(source, Path.Combine(staging, TorchSharpNativeName), LibStdCxxSoname, RequiredGlibcxx);
            tried.Add($"copied {source} and marked {RequiredGlibcxx} weak: {outcome}");
            foreach (var (name, target) in siblings)
                File.CreateSymbolicLink(Path.Combine(staging, name), target);
            tried.Add($"linked {siblings.Count} sibling libraries from the app's native folders");
            File.WriteAllText(Path.Combine(staging, ".complete"), source + Environment.NewLine);
            tried.Add(PublishStaging(staging, final) ? $"cache folder {final}" : $"another process created {final} first; using it");
            PruneStale(root, final, tried);
        }
        catch (IOException) when (File.Exists(marker))
        {
            tried.Add($"another process created {final} first; using it");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return patched;
    }

    /// <summary>
    /// Puts the finished <paramref name="staging"/> folder (holding its <c>.complete</c> marker) in place as
    /// <paramref name="final"/>. rename(2) refuses an existing non-empty target, so of several processes racing here
    /// exactly one wins; the others keep the winner's folder, which they may already be loading from (e.g. the other MPI
    /// ranks started at the same moment), and leave their staging folder to the caller. A <paramref name="final"/> without
    /// the marker cannot come from a finished rename (the marker travels with it): it is an interrupted older layout and
    /// is replaced. True when our folder was put in place, false when a complete one was already there.
    /// </summary>
    /// <exception cref="IOException">The folder could not be put in place.</exception>
    internal static bool PublishStaging(string staging, string final)
    {
        string marker = Path.Combine(final, ".complete");
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                Directory.Move(staging, final);
                return true;
            }
            catch (IOException) when (Directory.Exists(final))
            {
                if (File.Exists(marker)) return false;
                if (attempt == 0) Directory.Delete(final, recursive: true); // incomplete leftover: never a folder with the marker
            }
        }
        throw new IOException($"{final}: cannot replace the incomplete cache folder");
    }

    /// <summary>
    /// Removes cache folders whose sibling links dangle (their app folder is gone, e.g. a temporary build), so the cache
    /// does not grow with every short-lived app. A library already loaded by a running process stays mapped after its
    /// file is removed, so this is safe even while such a process runs.
    /// </summary>
    internal static void PruneStale(string root, string keep, List<string> tried)
    {
        foreach (var dir in Directory.EnumerateDirectories(root, "torchsharp-*"))
        {
            if (Path.GetFullPath(dir) == Path.GetFullPath(keep)) continue;
            try
            {
                var link = Directory.EnumerateFiles(dir).Select(f => new FileInfo(f)).FirstOrDefault(f => f.LinkTarget is not null);
                if (link is null || File.Exists(Path.Combine(dir, link.LinkTarget!))) continue;
                Directory.Delete(dir, recursive: true);
                tried.Add($"removed stale cache folder {dir}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: another process may be pruning or creating at the same time.
            }
        }
    }

    /// <summary>Every shared library in the search folders except the bridge itself; the first folder wins per name, as in probing.</summary>
    internal static List<(string Name, string Target)> CollectSiblings(IEnumerable<string> directories)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        // The .NET runtime's own folder is also a native search folder; nothing in libtorch needs its libraries.
        string runtimeDir = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        foreach (var dir in directories)
        {
            if (!Directory.Exists(dir) || Path.TrimEndingDirectorySeparator(dir) == runtimeDir) continue;
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                string name = Path.GetFileName(file);
                bool isSharedObject = name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
                if (!isSharedObject || name == TorchSharpNativeName || seen.ContainsKey(name)) continue;
                // Resolve links so our link points at the very file the app would load (same inode).
                var info = new FileInfo(file);
                string target = info.LinkTarget is null ? info.FullName : (info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName);
                seen[name] = target;
            }
        }
        return seen.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static string CacheKey(byte[] image, List<(string Name, string Target)> siblings)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(image);
        foreach (var (name, target) in siblings) sha.AppendData(Encoding.UTF8.GetBytes(name + "\0" + target + "\n"));
        return "torchsharp-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..24];
    }
}

/// <summary>Inputs of <see cref="TorchNativeLoader.Run"/>; <see cref="FromEnvironment"/> gives the process's real ones.</summary>
/// <param name="IsLinux">Whether to act at all.</param>
/// <param name="Disabled">True when the user turned the fix off.</param>
/// <param name="SearchDirectories">Where the app's native libraries are probed, in order.</param>
/// <param name="CacheRoot">Writable folder for patched copies.</param>
/// <param name="LibStdCxxPath">The libstdc++ to examine; null to locate the system's.</param>
/// <param name="Load">Whether to load the patched copy into this process.</param>
public sealed record NativeLoaderSettings(
    bool IsLinux,
    bool Disabled,
    IReadOnlyList<string> SearchDirectories,
    string CacheRoot,
    string? LibStdCxxPath,
    bool Load)
{
    /// <summary>
    /// The process's settings: the host's <c>NATIVE_DLL_SEARCH_DIRECTORIES</c> plus TorchSharp's assembly folder;
    /// cache under <c>ECGCLIP_NATIVE_CACHE</c>, else <c>$XDG_CACHE_HOME/ecgclip/native</c>, else <c>~/.cache/ecgclip/native</c>.
    /// </summary>
    public static NativeLoaderSettings FromEnvironment()
    {
        var dirs = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string probe)
            dirs.AddRange(probe.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string? torchDir = TorchSharpAssemblyDirectory();
        if (torchDir is not null)
        {
            dirs.Add(torchDir);
            dirs.Add(Path.Combine(torchDir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"));
            dirs.Add(Path.Combine(torchDir, "runtimes", "linux-x64", "native"));
        }
        dirs.Add(AppContext.BaseDirectory);
        var distinct = dirs.Select(d => Path.GetFullPath(d)).Distinct(StringComparer.Ordinal).ToList();

        string? env = Environment.GetEnvironmentVariable("ECGCLIP_NATIVE_CACHE");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string root = !string.IsNullOrWhiteSpace(env) ? env
            : !string.IsNullOrWhiteSpace(xdg) ? Path.Combine(xdg, "ecgclip", "native")
            : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache", "ecgclip", "native")
            : Path.Combine(Path.GetTempPath(), $"ecgclip-native-{Environment.UserName}");

        return new NativeLoaderSettings(
            IsLinux: OperatingSystem.IsLinux(),
            Disabled: Environment.GetEnvironmentVariable("ECGCLIP_NATIVE_FIX") == "0",
            SearchDirectories: distinct,
            CacheRoot: root,
            LibStdCxxPath: null,
            Load: true);
    }

    private static string? TorchSharpAssemblyDirectory()
    {
        try
        {
            // Loading the managed assembly runs no TorchSharp code (its static constructor is what loads natives).
            var asm = Assembly.Load(new AssemblyName("TorchSharp"));
            return string.IsNullOrEmpty(asm.Location) ? null : Path.GetDirectoryName(asm.Location);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
