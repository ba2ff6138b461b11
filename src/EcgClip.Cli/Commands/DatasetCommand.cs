using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Shards;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip dataset build|verify|pack</c>: writes ECG–text datasets as memory-mappable shards, checks them.</summary>
internal sealed class DatasetCommand : ICommandFactory
{
    public Command Create()
    {
        var dataset = new Command("dataset", "ECG–text datasets (PTB-XL, PhysioNet/CinC 2021, CSV manifests) as memory-mappable training shards.");
        dataset.Subcommands.Add(CreateBuild());
        dataset.Subcommands.Add(CreateVerify());
        dataset.Subcommands.Add(DatasetPackCommand.Create());
        return dataset;
    }

    private static Command CreateBuild()
    {
        var source = new Option<string>("--source")
        {
            Description = "embedded (the PTB-XL subset shipped with EcgClip), ptbxl:<dir> (folder with ptbxl_database.csv), cinc:<records dir> (with --scoring), or manifest:<csv> (columns path, report, patient_id, split, labels/targets).",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "Output folder for the shards, manifest.json and skipped.csv.", Required = true };
        var fs = new Option<int>("--fs") { Description = "PTB-XL sampling rate: 100 (records100) or 500 (records500) Hz.", DefaultValueFactory = _ => 100 };
        var shard = new Option<string?>("--shard") { Description = "Build only shard i of N (0-based), e.g. '2/8', for one worker of a parallel build. Default: all shards." };
        var perShard = new Option<int>("--records-per-shard") { Description = "Records per shard when --shard does not fix N (default 512).", DefaultValueFactory = _ => 512 };
        var labels = new Option<string>("--labels") { Description = "PTB-XL label set: all, diagnostic, subdiagnostic, superdiagnostic (default), form, rhythm.", DefaultValueFactory = _ => "superdiagnostic" };
        var minLikelihood = new Option<double>("--min-likelihood") { Description = "PTB-XL: ignore diagnostic statements below this likelihood (0–100; default 0 keeps all, as the benchmark). Form/rhythm statements are never filtered." };
        var dtype = new Option<string>("--dtype") { Description = "Sample storage: int16 (default; per-record-per-lead scale, error ≤ scale/2) or float16.", DefaultValueFactory = _ => "int16" };
        var scoring = new Option<string?>("--scoring") { Description = "CinC: folder with weights.csv and dx_mapping_scored.csv (default: <records dir>/../cinc2021_scoring)." };
        var seed = new Option<int>("--seed") { Description = "CinC/manifest: seed of the patient-level split hash (default 0).", DefaultValueFactory = _ => 0 };
        var parallel = new Option<int>("--parallel") { Description = "Shards built concurrently by this process (default 1).", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line summarising the build." };
        var cmd = new Command("build",
            "Build (or resume) memory-mappable shards: per shard a .bin of int16/float16 samples [records, 12 leads, samples], a .jsonl of\n" +
            "reports/labels/ids and a .json with SHA-256 checksums; manifest.json lists them. Shards already complete with valid checksums\n" +
            "are skipped, so rerunning is a no-op and an interrupted build redoes only what is missing. Unreadable records are skipped\n" +
            "and listed in skipped.csv (id, path, reason). Examples:\n" +
            "  ecgclip dataset build --source ptbxl:data/ptbxl --out shards/ptbxl100\n" +
            "  ecgclip dataset build --source ptbxl:data/ptbxl --fs 500 --labels rhythm --out shards/ptbxl500 --shard 0/4 --json")
        {
            source, output, fs, shard, perShard, labels, minLikelihood, dtype, scoring, seed, parallel, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () => RunBuild(
            pr.GetValue(source)!, pr.GetValue(output)!, pr.GetValue(fs), pr.GetValue(shard), pr.GetValue(perShard), pr.GetValue(labels)!,
            pr.GetValue(minLikelihood), pr.GetValue(dtype)!, pr.GetValue(scoring), pr.GetValue(seed), pr.GetValue(parallel), pr.GetValue(json))));
        return cmd;
    }

    private static Command CreateVerify()
    {
        var dir = new Argument<string>("dir") { Description = "A shard folder written by 'dataset build'." };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var cmd = new Command("verify", "Check every shard file of a folder against the SHA-256 checksums of its manifest and count records per split.") { dir, json };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            string d = pr.GetValue(dir)!;
            using var reader = ShardReader.Open(d, verifyChecksums: true);
            var counts = Enum.GetValues<DatasetSplit>().ToDictionary(DatasetSplits.ToName, s => reader.IndicesOf(s).Length);
            if (pr.GetValue(json))
                CliJson.WriteLine(new { dir = d, ok = true, records = reader.Count, shards = reader.Manifest.Shards.Count, complete = reader.Manifest.Complete, splits = counts });
            else
                Console.WriteLine($"{d}: OK, {reader.Count} records in {reader.Manifest.Shards.Count}/{reader.Manifest.ShardCount} shards " +
                                  $"(train {counts["train"]}, val {counts["val"]}, test {counts["test"]}){(reader.Manifest.Complete ? "" : ", INCOMPLETE")}");
            return reader.Manifest.Complete ? ExitCodes.Ok : ExitCodes.BadInput;
        }));
        return cmd;
    }

    private static int RunBuild(string source, string output, int fs, string? shardSpec, int perShard, string labelSet, double minLikelihood,
                                string dtype, string? scoring, int seed, int parallel, bool json)
    {
        if (!ShardBuilder.TryParseSampleType(dtype, out var type)) throw new ArgumentException($"--dtype must be int16 or float16, got '{dtype}'");
        int? only = null, count = null;
        if (shardSpec is not null)
        {
            var parts = shardSpec.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0 || i >= n)
                throw new ArgumentException($"--shard must be i/N with 0 <= i < N, got '{shardSpec}'");
            (only, count) = (i, n);
        }
        var sw = Stopwatch.StartNew();
        IEcgTextDataset ds = EcgDatasetSource.Open(source, new EcgDatasetSourceOptions
        {
            SamplingRate = fs,
            LabelSet = ScpStatements.TryParseLabelSet(labelSet, out var set) ? set : throw new ArgumentException($"--labels must be all, diagnostic, subdiagnostic, superdiagnostic, form or rhythm, got '{labelSet}'"),
            MinLikelihood = minLikelihood,
            Seed = seed,
            CincScoringDirectory = scoring,
        });
        var result = new ShardBuilder().Build(ds, new ShardBuildOptions
        {
            OutputDirectory = output,
            Source = source,
            SampleType = type,
            RecordsPerShard = perShard,
            ShardCount = count,
            OnlyShard = only,
            MaxDegreeOfParallelism = parallel > 0 ? parallel : throw new ArgumentException($"--parallel must be positive, got {parallel}"),
        });
        var m = result.Manifest;
        if (json)
        {
            CliJson.WriteLine(new
            {
                @out = output,
                source,
                dataset = m.Dataset,
                sample_type = m.SampleType,
                shard_count = m.ShardCount,
                shards_built = result.ShardsBuilt,
                shards_up_to_date = result.ShardsUpToDate,
                records_written = result.RecordsWritten,
                records = m.Records,
                dataset_items = m.DatasetItems,
                skipped = result.Skipped.Count,
                complete = m.Complete,
                manifest = result.ManifestPath,
                skipped_report = result.SkippedReportPath,
                elapsed_seconds = Math.Round(sw.Elapsed.TotalSeconds, 3),
            });
        }
        else
        {
            Console.WriteLine($"{m.Dataset}: {m.Records} records in {m.Shards.Count}/{m.ShardCount} shards ({m.SampleType}) at {output}");
            Console.WriteLine($"built {result.ShardsBuilt.Count} shard(s), {result.ShardsUpToDate.Count} already up to date, {result.RecordsWritten} records written in {sw.Elapsed.TotalSeconds:F1} s");
            if (result.Skipped.Count > 0) Console.WriteLine($"{result.Skipped.Count} record(s) skipped, listed in {result.SkippedReportPath}");
            if (!m.Complete) Console.WriteLine($"incomplete: {m.ShardCount - m.Shards.Count} shard(s) still to build");
        }
        return ExitCodes.Ok;
    }
}
