using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Dataset;

public sealed class DatasetPackCommandTests
{
    private static int Invoke(params string[] args) => CommandCatalog.BuildRoot().Parse(args).Invoke();

    private static string SmallPtbXl(string dir, int records)
    {
        string root = TestPaths.PtbXl();
        File.Copy(Path.Combine(root, "scp_statements.csv"), Path.Combine(dir, "scp_statements.csv"));
        File.WriteAllLines(Path.Combine(dir, "ptbxl_database.csv"), File.ReadAllLines(Path.Combine(root, "ptbxl_database.csv")).Take(records + 1));
        string recDir = Path.Combine(dir, "records100", "00000");
        Directory.CreateDirectory(recDir);
        for (int id = 1; id <= records; id++)
            foreach (var ext in new[] { ".hea", ".dat" })
                File.Copy(Path.Combine(root, "records100", "00000", $"{id:D5}_lr{ext}"), Path.Combine(recDir, $"{id:D5}_lr{ext}"));
        return dir;
    }

    [Fact]
    public void Pack_SmallPtbXlFolder_OpensAsEmbeddedWithWfdbValues()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-pack-cli").FullName;
        try
        {
            string src = SmallPtbXl(Directory.CreateDirectory(Path.Combine(dir, "src")).FullName, 8);
            string outDir = Path.Combine(dir, "out");
            Assert.Equal(0, Invoke("dataset", "pack", "--source", "ptbxl:" + src, "--out", outDir, "--quality", "5", "--json"));
            var ds = EmbeddedPtbXl.Load(outDir);
            Assert.Equal(8, ds.Items.Count);
            foreach (var item in ds.Items)
            {
                var packed = ds.LoadRecord(item);
                var wfdb = WfdbReader.Read(Path.Combine(src, "records100", "00000", $"{int.Parse(item.Id):D5}_lr"));
                for (int c = 0; c < 12; c++) Assert.Equal(wfdb.Channels[c].Digital, packed.Channels[c].Digital);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Pack_RowWithoutRecord_ExitsBadInputNamingRow()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-pack-cli-bad").FullName;
        try
        {
            string src = SmallPtbXl(Directory.CreateDirectory(Path.Combine(dir, "src")).FullName, 3);
            File.Delete(Path.Combine(src, "records100", "00000", "00002_lr.dat"));
            var (code, _, stderr) = CliProcess.Run("dataset", "pack", "--source", "ptbxl:" + src, "--out", Path.Combine(dir, "out"));
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("cannot be packed", stderr);
            Assert.False(File.Exists(Path.Combine(dir, "out", EmbeddedPtbXl.PackFileName)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("cinc:/x")]
    [InlineData("nonsense")]
    public void Pack_NotAPtbXlSource_ExitsBadInput(string source) =>
        Assert.Equal(ExitCodes.BadInput, Invoke("dataset", "pack", "--source", source, "--out", Path.GetTempPath()));

    [Fact]
    public void Build_EmbeddedSource_AllRecordsOfTheEmbeddedSet()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-embedded-shards").FullName;
        try
        {
            Assert.Equal(0, Invoke("dataset", "build", "--source", "embedded", "--out", dir, "--labels", "rhythm"));
            using var reader = EcgClip.Signal.Shards.ShardReader.Open(dir, verifyChecksums: true);
            Assert.Equal(1999, reader.Count);
            Assert.Contains("SR", reader.LabelSpace.Names);
        }
        finally { Directory.Delete(dir, true); }
    }
}
