using System.CommandLine;
using System.Diagnostics;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Datasets;

namespace EcgClip.Cli.Commands;

/// <summary>
/// <c>ecgclip dataset pack</c>: writes the records of a PTB-XL folder into one lossless <c>.ecgpack</c> plus the two
/// tables, the layout of the embedded default data set (see scripts/build-embedded-data.sh).
/// </summary>
internal static class DatasetPackCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "ptbxl:<dir>: a PTB-XL folder (ptbxl_database.csv, scp_statements.csv, records100/).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder: records100.ecgpack, ptbxl_database.csv (rows of the packed records) and scp_statements.csv.", Required = true };
        var quality = new Option<int>("--quality") { Description = "Brotli quality 0–11 (default 11: smallest, slowest to write).", DefaultValueFactory = _ => 11 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var cmd = new Command("pack",
            "Pack a PTB-XL folder's 100 Hz records into one lossless compressed .ecgpack (ADC values bit-exact; limb leads III/aVR/aVL/aVF\n" +
            "stored as residuals against I and II, other leads as first differences, Brotli) with the matching table rows, so that\n" +
            "'--data embedded'-style folders can be made from any PTB-XL copy. Open the result with ECGCLIP_EMBEDDED_DATA=<out>. Example:\n" +
            "  ecgclip dataset pack --source ptbxl:../shared/data/ptbxl --out src/EcgClip.Signal/EmbeddedData/ptbxl")
        {
            source, output, quality, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () => Run(pr.GetValue(source)!, pr.GetValue(output)!, pr.GetValue(quality), pr.GetValue(json))));
        return cmd;
    }

    private static int Run(string source, string output, int quality, bool json)
    {
        var (kind, root) = EcgDatasetSource.Parse(source);
        if (kind != "ptbxl") throw new ArgumentException($"--source must be ptbxl:<dir>, got '{source}'");
        if (quality is < 0 or > 11) throw new ArgumentException($"--quality must be 0–11, got {quality}");
        var sw = Stopwatch.StartNew();
        var dataset = PtbXlDataset.Load(root);
        if (dataset.Skipped.Count > 0)
            throw new ArgumentException($"{root}: {dataset.Skipped.Count} row(s) of ptbxl_database.csv cannot be packed (first: {dataset.Skipped[0].Id}: {dataset.Skipped[0].Reason}); a pack keeps the table verbatim, so every row needs its record");
        Directory.CreateDirectory(output);
        string fullRoot = Path.GetFullPath(root);
        int written = EcgPackWriter.Write(Path.Combine(output, EmbeddedPtbXl.PackFileName),
            dataset.Items.Select(it => (Path.GetRelativePath(fullRoot, Path.GetFullPath(it.RecordPath)).Replace('\\', '/'), dataset.LoadRecord(it))), quality);
        foreach (string table in new[] { "ptbxl_database.csv", "scp_statements.csv" })
            File.Copy(Path.Combine(root, table), Path.Combine(output, table), overwrite: true);
        long bytes = new FileInfo(Path.Combine(output, EmbeddedPtbXl.PackFileName)).Length;
        if (json) CliJson.WriteLine(new { @out = output, records = written, pack_bytes = bytes, seconds = Math.Round(sw.Elapsed.TotalSeconds, 1) });
        else Console.WriteLine($"{written} records packed into {Path.Combine(output, EmbeddedPtbXl.PackFileName)} ({bytes / 1048576.0:F1} MiB) in {sw.Elapsed.TotalSeconds:F0} s");
        return ExitCodes.Ok;
    }
}
