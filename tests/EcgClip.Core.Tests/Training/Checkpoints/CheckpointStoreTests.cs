using System.Diagnostics;
using System.Text.Json;
using EcgClip.Core.Training.Checkpoints;

namespace EcgClip.Core.Tests.Training.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _run = Path.Combine(Path.GetTempPath(), "ecgclip-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_run)) Directory.Delete(_run, recursive: true);
    }

    private static void WriteFiles(string dir, string content)
    {
        File.WriteAllText(Path.Combine(dir, "model.safetensors"), content);
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllText(Path.Combine(dir, "sub", "config.json"), "{\"a\":1}");
    }

    [Fact]
    public void Write_AppearsWhole_WithManifestListingEveryFile()
    {
        var store = new CheckpointStore(_run);
        string path = store.Write("step-000005", d => WriteFiles(d, "weights"));

        Assert.Equal(Path.Combine(_run, "checkpoints", "step-000005"), path);
        var manifest = CheckpointStore.ReadManifest(path);
        Assert.Equal(5, manifest.Step);
        Assert.Equal("step-000005", manifest.Name);
        Assert.Equal(["model.safetensors", "sub/config.json"], manifest.Files.Select(f => f.Path));
        Assert.Equal(7, manifest.Files[0].Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("weights"u8)), manifest.Files[0].Sha256);
        Assert.Empty(Directory.EnumerateDirectories(store.Root, ".*"));
        CheckpointStore.Verify(path);
    }

    [Fact]
    public void Write_WhenCallbackThrows_LeavesNothing()
    {
        var store = new CheckpointStore(_run);
        Assert.Throws<InvalidOperationException>(() => store.Write("step-1", d =>
        {
            WriteFiles(d, "half");
            throw new InvalidOperationException("killed");
        }));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Root));
        Assert.Null(store.Latest());
    }

    [Fact]
    public void Write_ReplacesAnExistingName()
    {
        var store = new CheckpointStore(_run);
        store.Write("best", d => WriteFiles(d, "old"), step: 3);
        string path = store.Write("best", d => File.WriteAllText(Path.Combine(d, "model.safetensors"), "new!"), step: 9);
        Assert.Equal("new!", File.ReadAllText(Path.Combine(path, "model.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(path, "sub")));
        Assert.Equal(9, CheckpointStore.ReadManifest(path).Step);
        Assert.Single(Directory.EnumerateDirectories(store.Root));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void Write_RejectsBadNames(string name)
    {
        var store = new CheckpointStore(_run);
        Assert.ThrowsAny<ArgumentException>(() => store.Write(name, _ => { }));
    }

    [Fact]
    public void Write_RejectsACallbackThatWritesTheManifest()
    {
        var store = new CheckpointStore(_run);
        Assert.Throws<InvalidOperationException>(() => store.Write("s1", d => File.WriteAllText(Path.Combine(d, "manifest.json"), "{}")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Root));
    }

    [Fact]
    public void List_OrdersByStepNumerically_AndLatestIsTheHighestStep()
    {
        var store = new CheckpointStore(_run);
        store.Write("step-10", d => WriteFiles(d, "10"));
        store.Write("step-2", d => WriteFiles(d, "2"));
        store.Write("step-100", d => WriteFiles(d, "100"));
        Assert.Equal(["step-2", "step-10", "step-100"], store.List().Select(Path.GetFileName));
        Assert.Equal(Path.Combine(store.Root, "step-100"), store.Latest());
    }

    [Fact]
    public void Latest_SkipsACorruptNewestCheckpoint_AndReturnsThePreviousOne()
    {
        var store = new CheckpointStore(_run);
        store.Write("step-1", d => WriteFiles(d, "aaaa"));
        string newest = store.Write("step-2", d => WriteFiles(d, "bbbb"));
        File.WriteAllText(Path.Combine(newest, "model.safetensors"), "bbbc"); // same size, one byte flipped
        var logger = new ListLogger();
        Assert.Equal(Path.Combine(store.Root, "step-1"), new CheckpointStore(_run, logger).Latest());
        Assert.Contains(logger.Messages, m => m.Contains("step-2", StringComparison.Ordinal) && m.Contains("SHA-256", StringComparison.Ordinal));
    }

    [Fact]
    public void Latest_IgnoresAFolderWithoutManifest()
    {
        var store = new CheckpointStore(_run);
        store.Write("step-1", d => WriteFiles(d, "a"));
        Directory.CreateDirectory(Path.Combine(store.Root, "step-9"));
        Assert.Equal(Path.Combine(store.Root, "step-1"), store.Latest());
    }

    [Fact]
    public void Verify_NamesTheFileAndTheReason()
    {
        var store = new CheckpointStore(_run);
        string ckpt = store.Write("step-1", d => WriteFiles(d, "weights"));
        string model = Path.Combine(ckpt, "model.safetensors");
        string manifest = Path.Combine(ckpt, "manifest.json");

        File.WriteAllText(model, "weights+");
        var size = Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(ckpt));
        Assert.Equal(model, size.FilePath);
        Assert.Contains("size 8 bytes, the manifest says 7", size.Message, StringComparison.Ordinal);

        File.WriteAllText(model, "weightZ");
        Assert.Contains("SHA-256", Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(ckpt)).Message, StringComparison.Ordinal);

        File.Delete(model);
        var missing = Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(ckpt));
        Assert.Equal(model, missing.FilePath);
        Assert.Contains("missing", missing.Reason, StringComparison.Ordinal);

        File.WriteAllText(manifest, "{ not json");
        var json = Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(ckpt));
        Assert.Equal(manifest, json.FilePath);
        Assert.Contains("not valid JSON", json.Reason, StringComparison.Ordinal);

        File.Delete(manifest);
        Assert.Contains("manifest is missing", Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(ckpt)).Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(Path.Combine(_run, "nope"))));
    }

    [Fact]
    public void Verify_RejectsAnUnknownFormatVersion()
    {
        var store = new CheckpointStore(_run);
        string ckpt = store.Write("step-1", d => WriteFiles(d, "w"));
        string manifest = Path.Combine(ckpt, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"formatVersion\": 1", "\"formatVersion\": 99", StringComparison.Ordinal));
        Assert.Contains("format version 99", Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Verify(ckpt)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveLeftovers_DeletesDeadWritersFolders_KeepsLiveOnes_AndRestoresAnInterruptedReplace()
    {
        var store = new CheckpointStore(_run);
        store.Write("step-1", d => WriteFiles(d, "a"));
        string best = store.Write("best", d => WriteFiles(d, "best"), step: 1);
        int dead = DeadPid();
        string deadTmp = Path.Combine(store.Root, $".tmp-step-2-{dead}-{Guid.NewGuid():N}");
        string liveTmp = Path.Combine(store.Root, $".tmp-step-3-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string foreign = Path.Combine(store.Root, ".tmp-not-ours");
        foreach (var d in new[] { deadTmp, liveTmp, foreign }) WriteFiles(Directory.CreateDirectory(d).FullName, "x");
        // A replace of "best" killed between its renames: the old copy is aside, the name is gone.
        string aside = Path.Combine(store.Root, $".old-best-{dead}-{Guid.NewGuid():N}");
        Directory.Move(best, aside);

        Assert.Equal(2, store.RemoveLeftovers());

        Assert.False(Directory.Exists(deadTmp));
        Assert.True(Directory.Exists(liveTmp));
        Assert.True(Directory.Exists(foreign));
        Assert.False(Directory.Exists(aside));
        CheckpointStore.Verify(best);
        Assert.Equal(0, store.RemoveLeftovers());
        Assert.Equal(0, new CheckpointStore(Path.Combine(_run, "elsewhere")).RemoveLeftovers());
    }

    [Fact]
    public void RemoveLeftovers_PromotesACompleteTempFolder_WhoseRenameNeverHappened()
    {
        var store = new CheckpointStore(_run);
        // A writer killed after its manifest but before the rename: exactly a finished checkpoint under the temp name.
        string done = store.Write("step-8", d => WriteFiles(d, "eight"));
        string tmp = Path.Combine(store.Root, $".tmp-step-8-{DeadPid()}-{Guid.NewGuid():N}");
        Directory.Move(done, tmp);
        // One killed while writing: a manifest whose files do not match.
        string torn = store.Write("step-9", d => WriteFiles(d, "nine"));
        File.WriteAllText(Path.Combine(torn, "model.safetensors"), "nin");
        string tornTmp = Path.Combine(store.Root, $".tmp-step-9-{DeadPid()}-{Guid.NewGuid():N}");
        Directory.Move(torn, tornTmp);

        Assert.Equal(2, store.RemoveLeftovers());

        Assert.Equal(Path.Combine(store.Root, "step-8"), store.Latest());
        Assert.False(Directory.Exists(tornTmp));
        Assert.False(Directory.Exists(Path.Combine(store.Root, "step-9")));
    }

    [Fact]
    public void RemoveLeftovers_DeletesTheOldCopyOfAReplaceKilledAfterItsSecondRename()
    {
        var store = new CheckpointStore(_run);
        string best = store.Write("best", d => WriteFiles(d, "new"), step: 2);
        string aside = Path.Combine(store.Root, $".old-best-{DeadPid()}-{Guid.NewGuid():N}");
        WriteFiles(Directory.CreateDirectory(aside).FullName, "old");

        Assert.Equal(1, store.RemoveLeftovers());

        Assert.False(Directory.Exists(aside));
        Assert.Equal("new", File.ReadAllText(Path.Combine(best, "model.safetensors")));
    }

    [Fact]
    public void RemoveLeftovers_KeepsAnotherLiveWritersFolder_UntilItIsKilled()
    {
        var store = new CheckpointStore(_run);
        using var writer = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { UseShellExecute = false })!;
        string tmp = Path.Combine(store.Root, $".tmp-step-4-{writer.Id}-{Guid.NewGuid():N}");
        WriteFiles(Directory.CreateDirectory(tmp).FullName, "half");

        Assert.Equal(0, store.RemoveLeftovers());
        Assert.True(Directory.Exists(tmp));

        writer.Kill(); // SIGKILL
        writer.WaitForExit();
        Assert.Equal(1, store.RemoveLeftovers());
        Assert.False(Directory.Exists(tmp));
    }

    [Fact]
    public void Prune_KeepsTheLastN_AndTheNamedOnes()
    {
        var store = new CheckpointStore(_run);
        for (int s = 1; s <= 5; s++) store.Write($"step-{s}", d => WriteFiles(d, s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        store.Prune(2, [Path.Combine(store.Root, "step-2")]);
        Assert.Equal(["step-2", "step-4", "step-5"], store.List().Select(Path.GetFileName));
        store.Prune(0, []);
        Assert.Empty(store.List());
    }

    [Fact]
    public void Manifest_IsCamelCaseJson()
    {
        var store = new CheckpointStore(_run);
        string ckpt = store.Write("step-7", d => WriteFiles(d, "w"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ckpt, "manifest.json")));
        Assert.Equal(1, doc.RootElement.GetProperty("formatVersion").GetInt32());
        Assert.Equal(7, doc.RootElement.GetProperty("step").GetInt64());
        Assert.True(doc.RootElement.TryGetProperty("createdUtc", out _));
        Assert.Equal(64, doc.RootElement.GetProperty("files")[0].GetProperty("sha256").GetString()!.Length);
    }

    /// <summary>The pid of a process that has exited.</summary>
    internal static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
