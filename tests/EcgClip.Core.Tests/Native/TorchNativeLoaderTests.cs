using System.Security.Cryptography;
using System.Text;
using EcgClip.Core.Native;

namespace EcgClip.Core.Tests.Native;

public sealed class TorchNativeLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ecgclip-loader-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string AppFolder()
    {
        // A fake app native folder: the real bridge library plus two sibling libraries.
        string dir = Path.Combine(_root, "app");
        Directory.CreateDirectory(dir);
        File.Copy(ElfPatcherTests.RealTorchSharpLibrary(), Path.Combine(dir, TorchNativeLoader.TorchSharpNativeName));
        File.WriteAllText(Path.Combine(dir, "libtorch.so"), "sibling");
        File.WriteAllText(Path.Combine(dir, "libc10.so"), "sibling");
        File.WriteAllText(Path.Combine(dir, "readme.txt"), "not a library");
        return dir;
    }

    private NativeLoaderSettings Settings(string appDir, string? libstdcxx = null, bool isLinux = true, bool disabled = false) =>
        new(isLinux, disabled, [appDir], Path.Combine(_root, "cache"), libstdcxx ?? SystemLibStdCxx(), Load: false);

    private static string SystemLibStdCxx() => LibStdCxxProbe.Locate() ?? throw new InvalidOperationException("no libstdc++ on this machine");

    /// <summary>A copy of the system libstdc++ whose highest version name is renamed (same length) to GLIBCXX_3.4.32.</summary>
    private string LibStdCxxWith332()
    {
        string sys = SystemLibStdCxx();
        string highest = LibStdCxxProbe.HighestGlibcxx(sys)!;
        byte[] data = File.ReadAllBytes(sys);
        byte[] from = Encoding.ASCII.GetBytes(highest + "\0"), to = Encoding.ASCII.GetBytes("GLIBCXX_3.4.32\0");
        Assert.Equal(from.Length, to.Length);
        int at;
        while ((at = data.AsSpan().IndexOf(from)) >= 0) to.CopyTo(data, at);
        string path = Path.Combine(_root, "libstdc++.so.6");
        File.WriteAllBytes(path, data);
        return path;
    }

    [Fact]
    public void Run_SystemLacksVersion_WritesWeakCopyWithSiblingLinksInCache()
    {
        string sys = SystemLibStdCxx();
        string app = AppFolder();
        // On a machine whose libstdc++ already has the version, pretend it does not by pointing at an older one is
        // impossible; the SystemHasVersion path is covered below, and this path needs an older libstdc++.
        if (LibStdCxxProbe.Defines(sys, TorchNativeLoader.RequiredGlibcxx)) return;
        string sourceHash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(app, TorchNativeLoader.TorchSharpNativeName))));

        var report = TorchNativeLoader.Run(Settings(app));

        Assert.Equal(NativeLoadStatus.Applied, report.Status);
        Assert.NotNull(report.PatchedLibrary);
        Assert.StartsWith(Path.Combine(_root, "cache"), report.PatchedLibrary);
        Assert.True(ElfVersionInfo.ReadVersionNeeds(report.PatchedLibrary!).Single(n => n.Version == TorchNativeLoader.RequiredGlibcxx).IsWeak);
        string folder = Path.GetDirectoryName(report.PatchedLibrary)!;
        Assert.Equal(Path.Combine(app, "libtorch.so"), new FileInfo(Path.Combine(folder, "libtorch.so")).LinkTarget);
        Assert.Equal(Path.Combine(app, "libc10.so"), new FileInfo(Path.Combine(folder, "libc10.so")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(folder, "readme.txt")));
        // The app folder is never written.
        Assert.Equal(sourceHash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(app, TorchNativeLoader.TorchSharpNativeName)))));
        Assert.Equal(4, Directory.GetFiles(app).Length);

        var again = TorchNativeLoader.Run(Settings(app));
        Assert.Equal(report.PatchedLibrary, again.PatchedLibrary);
        Assert.Contains(again.Tried, s => s.StartsWith("reused cached patched copy", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NewCacheFolder_RemovesFoldersOfVanishedAppsOnly()
    {
        string sys = SystemLibStdCxx();
        if (LibStdCxxProbe.Defines(sys, TorchNativeLoader.RequiredGlibcxx)) return; // the fix (and pruning) never runs there
        string cache = Path.Combine(_root, "cache");
        string stale = Path.Combine(cache, "torchsharp-stale");
        string live = Path.Combine(cache, "torchsharp-live");
        Directory.CreateDirectory(stale);
        Directory.CreateDirectory(live);
        File.CreateSymbolicLink(Path.Combine(stale, "libtorch.so"), Path.Combine(_root, "deleted-app", "libtorch.so"));
        string liveTarget = Path.Combine(_root, "live-target.so");
        File.WriteAllText(liveTarget, "x");
        File.CreateSymbolicLink(Path.Combine(live, "libtorch.so"), liveTarget);

        var report = TorchNativeLoader.Run(Settings(AppFolder()));

        Assert.Equal(NativeLoadStatus.Applied, report.Status);
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(live));
        Assert.True(File.Exists(report.PatchedLibrary));
    }

    [Fact]
    public void Run_SystemHasVersion_DoesNothing()
    {
        string app = AppFolder();
        var report = TorchNativeLoader.Run(Settings(app, LibStdCxxWith332()));
        Assert.Equal(NativeLoadStatus.SystemHasVersion, report.Status);
        Assert.Null(report.PatchedLibrary);
        Assert.False(Directory.Exists(Path.Combine(_root, "cache")));
    }

    [Fact]
    public void Run_NotLinux_DoesNothing()
    {
        var report = TorchNativeLoader.Run(Settings(AppFolder(), isLinux: false));
        Assert.Equal(NativeLoadStatus.NotLinux, report.Status);
        Assert.False(Directory.Exists(Path.Combine(_root, "cache")));
    }

    [Fact]
    public void Run_Disabled_DoesNothing() =>
        Assert.Equal(NativeLoadStatus.Disabled, TorchNativeLoader.Run(Settings(AppFolder(), disabled: true)).Status);

    [Fact]
    public void Run_NoBridgeLibrary_ReportsNotFoundWithWhereItLooked()
    {
        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);
        var report = TorchNativeLoader.Run(Settings(empty));
        Assert.Equal(NativeLoadStatus.LibraryNotFound, report.Status);
        Assert.Contains(report.Tried, s => s.Contains(empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_CorruptBridgeLibrary_FailsWithReasonAndSteps()
    {
        string app = Path.Combine(_root, "bad");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, TorchNativeLoader.TorchSharpNativeName), "garbage");
        var report = TorchNativeLoader.Run(Settings(app));
        Assert.Equal(NativeLoadStatus.Failed, report.Status);
        Assert.Contains("not an ELF", report.Error);
        var ex = Assert.Throws<TorchNativeLoadException>(() => report.ThrowIfFailed());
        Assert.Contains("Steps tried", ex.Message);
    }

    [Fact]
    public void EnsureLoaded_InThisProcess_TorchWorksAndReportMatchesSystem()
    {
        var report = TorchNativeLoader.EnsureLoaded();
        bool systemHas = LibStdCxxProbe.Defines(SystemLibStdCxx(), TorchNativeLoader.RequiredGlibcxx);
        Assert.Equal(systemHas ? NativeLoadStatus.SystemHasVersion : NativeLoadStatus.Applied, report.Status);
        using var x = TorchSharp.torch.ones(3, 3);
        Assert.Equal(9.0f, x.sum().item<float>());
    }
}
