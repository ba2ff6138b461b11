using System.Globalization;
using System.Text;
using System.Text.Json;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Pretrain;

/// <summary>
/// <c>ecgclip pretrain --data manifest:&lt;csv&gt;</c> end to end: embedded PTB-XL records exported as WFDB files, a CSV
/// manifest (path, report, split) whose reports are made-up texts, one record with a truncated signal file.
/// </summary>
public sealed class PretrainManifestTests : IDisposable
{
    private const string Marker = "zebraquokka"; // in every manifest report, in no PTB-XL report
    private static readonly string[] Findings = ["sinus rhythm", "atrial fibrillation", "left bundle branch block", "old infarction"];
    private readonly string _root = Directory.CreateTempSubdirectory("ecgclip-pretrain-manifest").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Writes 15 + 1 corrupt train, 4 val and 4 test records and the manifest; returns the CSV path and the corrupt record's id.</summary>
    private (string Csv, string CorruptId) WriteManifest()
    {
        var embedded = EmbeddedPtbXl.Load();
        string records = Path.Combine(_root, "records");
        Directory.CreateDirectory(records);
        var csv = new StringBuilder("path,report,split\n");
        int n = 0;
        string corrupt = "";
        foreach (var (split, count) in new[] { (DatasetSplit.Train, 16), (DatasetSplit.Validation, 4), (DatasetSplit.Test, 4) })
        {
            foreach (var item in embedded.Items.Where(i => i.Split == split).Take(count))
            {
                string name = $"rec{n:D3}";
                string header = WfdbWriter.Write(records, name, embedded.LoadRecord(item));
                if (n == 3)
                {
                    // Half of the signal file: the header declares more samples than the file holds.
                    string dat = Path.Combine(records, name + ".dat");
                    var bytes = File.ReadAllBytes(dat);
                    File.WriteAllBytes(dat, bytes[..(bytes.Length / 2)]);
                    corrupt = name;
                }
                // Test split: 2 texts for 4 records, so unique texts = 2 only if the reports come from this column.
                string report = $"{Marker} {Findings[(split == DatasetSplit.Test ? n / 2 : n) % Findings.Length]}";
                string splitName = split switch { DatasetSplit.Train => "train", DatasetSplit.Validation => "val", _ => "test" };
                csv.Append(CultureInfo.InvariantCulture, $"records/{Path.GetFileNameWithoutExtension(header)},{report},{splitName}\n");
                n++;
            }
        }
        string path = Path.Combine(_root, "manifest.csv");
        File.WriteAllText(path, csv.ToString());
        return (path, corrupt);
    }

    [Fact]
    public void Pretrain_OnACsvManifest_TrainsOnItsReportsAndListsTheCorruptRecord()
    {
        var (csv, corrupt) = WriteManifest();
        string findingsText = string.Join(' ', Findings);
        string run = Path.Combine(_root, "run");
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(6), "pretrain", "--data", "manifest:" + csv,
            "--config", Path.Combine(TestPaths.RepoRoot, "benchmarks", "memory", "tiny-model.json"),
            "--steps", "2", "--batch-size", "8", "--threads", "1", "--seed", "0", "--out", run, "--json");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        Assert.Equal(16, root.GetProperty("train_pairs").GetInt32());
        Assert.Equal(1, root.GetProperty("skipped").GetInt32());
        foreach (var key in new[] { "loss_first", "loss_last" })
            Assert.True(double.IsFinite(root.GetProperty(key).GetDouble()) && root.GetProperty(key).GetDouble() > 0, key);
        Assert.Equal(2, root.GetProperty("test_unique_texts").GetDouble());

        string last = root.GetProperty("last_checkpoint").GetString()!;
        foreach (var file in new[] { "config.json", "model.safetensors", "optimizer.bin", "trainer_state.json", "vocab.txt" })
            Assert.True(File.Exists(Path.Combine(last, file)), file);
        // The WordPiece vocabulary is trained on the training reports: it holds a piece (3+ letters) of the made-up word
        // that is in none of the findings and in no PTB-XL report.
        var vocab = File.ReadAllLines(Path.Combine(last, "vocab.txt"));
        Assert.True(vocab.Select(t => t.TrimStart('#')).Any(t => t.Length >= 3 && Marker.Contains(t, StringComparison.Ordinal) && !findingsText.Contains(t, StringComparison.Ordinal)),
            string.Join(' ', vocab.Skip(100)));

        var skipped = File.ReadAllLines(Path.Combine(run, "skipped_records.csv"));
        Assert.Equal("id,path,reason", skipped[0]);
        var row = Assert.Single(skipped.Skip(1));
        Assert.StartsWith(corrupt + ",", row);
        Assert.Contains("truncated", row);
    }
}
