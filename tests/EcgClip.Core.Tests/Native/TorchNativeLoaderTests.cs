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
    public async Task Run_ManyProcessesAtOnce_NoneRemovesTheFolderAnotherUses()
    {
        // MPI starts every rank at the same moment on a fresh cache: all race to build the same folder. The loser of
        // the rename must keep the winner's complete folder (it may be loading from it), not delete and replace it.
        if (LibStdCxxProbe.Defines(SystemLibStdCxx(), TorchNativeLoader.RequiredGlibcxx)) return;
        string app = AppFolder();
        var reports = new NativeLoadReport[8];
        var folders = new System.Collections.Concurrent.ConcurrentBag<(string Path, bool Whole)>();
        using var stop = new CancellationTokenSource();
        // a watcher that, while the racers run, checks every folder it sees with a marker is whole (both siblings present)
        var watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                foreach (var dir in Directory.Exists(Path.Combine(_root, "cache")) ? Directory.GetDirectories(Path.Combine(_root, "cache"), "torchsharp-*") : [])
                    if (File.Exists(Path.Combine(dir, ".complete")))
                        folders.Add((dir, File.Exists(Path.Combine(dir, "libc10.so")) && File.Exists(Path.Combine(dir, "libtorch.so")) || !Directory.Exists(dir)));
        });
        Parallel.For(0, reports.Length, new ParallelOptions { MaxDegreeOfParallelism = reports.Length }, i => reports[i] = TorchNativeLoader.Run(Settings(app)));
        stop.Cancel();
        await watcher;

        Assert.All(reports, r => Assert.Equal(NativeLoadStatus.Applied, r.Status));
        Assert.Single(reports.Select(r => r.PatchedLibrary).Distinct());
        string folder = Path.GetDirectoryName(reports[0].PatchedLibrary)!;
        Assert.True(File.Exists(Path.Combine(folder, ".complete")));
        Assert.Equal(2, Directory.GetFiles(folder).Count(f => new FileInfo(f).LinkTarget is not null));
        Assert.All(folders, f => Assert.True(f.Whole, $"{f.Path} lost its sibling links while another racer used it"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "cache"), ".*")); // no staging folder left behind
    }

    [Fact]
    public void PublishStaging_CompleteFolderAlreadyThere_IsKeptUntouched()
    {
        // the race MPI ranks hit on a fresh cache: the winner is loading from its folder while a loser publishes its own
        string final = Path.Combine(_root, "torchsharp-x"), staging = Path.Combine(_root, ".torchsharp-x.1");
        Directory.CreateDirectory(final);
        File.WriteAllText(Path.Combine(final, ".complete"), "winner");
        File.WriteAllText(Path.Combine(final, "libc10.so"), "in use");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, ".complete"), "loser");

        Assert.False(TorchNativeLoader.PublishStaging(staging, final));

        Assert.Equal("winner", File.ReadAllText(Path.Combine(final, ".complete")));
        Assert.Equal("in use", File.ReadAllText(Path.Combine(final, "libc10.so")));
        Assert.True(Directory.Exists(staging)); // the caller removes it
    }

    [Fact]
    public void PublishStaging_IncompleteOrNoFolder_PutsOursInPlace()
    {
        string final = Path.Combine(_root, "torchsharp-y"), staging = Path.Combine(_root, ".torchsharp-y.1");
        Directory.CreateDirectory(final);
        File.WriteAllText(Path.Combine(final, "libc10.so"), "leftover without marker");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, ".complete"), "ours");
        Assert.True(TorchNativeLoader.PublishStaging(staging, final));
        Assert.Equal("ours", File.ReadAllText(Path.Combine(final, ".complete")));
        Assert.False(File.Exists(Path.Combine(final, "libc10.so")));
        Assert.False(Directory.Exists(staging));

        string fresh = Path.Combine(_root, "torchsharp-z"), staging2 = Path.Combine(_root, ".torchsharp-z.1");
        Directory.CreateDirectory(staging2);
        Assert.True(TorchNativeLoader.PublishStaging(staging2, fresh));
        Assert.True(Directory.Exists(fresh));
    }

    [Fact]
    public void Run_IncompleteLeftoverFolder_IsReplaced()
    {
        if (LibStdCxxProbe.Defines(SystemLibStdCxx(), TorchNativeLoader.RequiredGlibcxx)) return;
        string app = AppFolder();
        var first = TorchNativeLoader.Run(Settings(app));
        string folder = Path.GetDirectoryName(first.PatchedLibrary)!;
        File.Delete(Path.Combine(folder, ".complete")); // what an interrupted older layout leaves
        File.Delete(Path.Combine(folder, "libc10.so"));

        var again = TorchNativeLoader.Run(Settings(app));

        Assert.Equal(NativeLoadStatus.Applied, again.Status);
        Assert.Equal(first.PatchedLibrary, again.PatchedLibrary);
        Assert.True(File.Exists(Path.Combine(folder, ".complete")));
        Assert.NotNull(new FileInfo(Path.Combine(folder, "libc10.so")).LinkTarget);
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
