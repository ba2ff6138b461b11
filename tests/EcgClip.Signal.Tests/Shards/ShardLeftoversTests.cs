using System.Diagnostics;
using EcgClip.Signal.Shards;

namespace EcgClip.Signal.Tests.Shards;

/// <summary>A resumed build deletes the temporary files of a killed one (issue 10), and only those.</summary>
public sealed class ShardLeftoversTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shards-leftovers").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ShardBuildResult Build() =>
        new ShardBuilder().Build(new SyntheticDataset(25), new ShardBuildOptions { OutputDirectory = _dir, RecordsPerShard = 10, Source = "synthetic:" });

    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    private string Plant(string file, int pid)
    {
        string path = Path.Combine(_dir, $"{file}.tmp-{pid}-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }

    [Fact]
    public void Resume_DeletesDeadBuildsTempFiles_KeepsLiveOnesAndForeignFiles()
    {
        var first = Build();
        Assert.Equal(0, first.LeftoversRemoved);
        var (bin, jsonl, json) = ShardBuilder.FileNames(1, 3);
        int dead = DeadPid();
        string[] killed = [Plant(bin, dead), Plant(jsonl, dead), Plant(json, dead), Plant(ShardManifest.FileName, dead), Plant("skipped.csv", dead)];
        string live = Plant(bin, Environment.ProcessId);
        string foreign = Plant("notes.txt", dead);
        string odd = Path.Combine(_dir, $"{bin}.tmp-not-a-pid");
        File.WriteAllText(odd, "x");

        var resumed = Build();

        Assert.Equal(killed.Length, resumed.LeftoversRemoved);
        Assert.All(killed, k => Assert.False(File.Exists(k), k));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(odd));
        Assert.Equal([0, 1, 2], resumed.ShardsUpToDate);
        Assert.Empty(resumed.ShardsBuilt);
        using var reader = ShardReader.Open(_dir, verifyChecksums: true);
        Assert.Equal(25, reader.Count);
    }

    [Fact]
    public void Resume_KeepsALiveWorkersTempFile_UntilItIsKilled()
    {
        Build();
        using var worker = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { UseShellExecute = false })!;
        string tmp = Plant(ShardBuilder.FileNames(2, 3).Bin, worker.Id);

        Assert.Equal(0, Build().LeftoversRemoved);
        Assert.True(File.Exists(tmp));

        worker.Kill(); // SIGKILL
        worker.WaitForExit();
        Assert.Equal(1, Build().LeftoversRemoved);
        Assert.False(File.Exists(tmp));
    }

    [Fact]
    public void Build_OnAFreshFolder_RemovesNothing()
    {
        Assert.Equal(0, Build().LeftoversRemoved);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
    }
}
