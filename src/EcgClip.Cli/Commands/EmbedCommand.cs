using System.CommandLine;
using System.Diagnostics;
using EcgClip.Cli.Infrastructure;
using EcgClip.Eval.Plots;
using EcgClip.Eval.Prediction;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Formats.Npy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip embed</c>: ECG embeddings of a data split as .npy, optionally with a PCA / t-SNE map coloured by label.</summary>
internal sealed class EmbedCommand : ICommandFactory
{
    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder, checkpoint folder or pretrain run folder.", Required = true };
        var data = new Option<string>("--data") { Description = $"Data: {EcgDatasetSource.Forms} (default embedded).", DefaultValueFactory = _ => EcgDatasetSource.Embedded };
        var split = new Option<string>("--split") { Description = "train, val, test (default) or all.", DefaultValueFactory = _ => "test" };
        var labels = new Option<string>("--color-by") { Description = "Label set that colours the map: superdiagnostic (default), subdiagnostic, form, rhythm.", DefaultValueFactory = _ => "superdiagnostic" };
        var projection = new Option<string>("--projection") { Description = "pca (default) or tsne.", DefaultValueFactory = _ => "pca" };
        var limit = new Option<int>("--limit") { Description = "Embed at most this many items (the first ones; 0 = all).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Threads for libtorch and record reading (default 2).", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "Embeddings file (.npy, float32 [n, dim]); the item ids and labels go beside it as <name>.items.csv.", Required = true };
        var plot = new Option<string?>("--plot") { Description = "Also draw the embedding map (.png or .svg), coloured by the item's label (\"multiple\" / \"none\" where not one)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON line with the files written." };
        var cmd = new Command("embed",
            "Embed a data split with a model's frozen ECG encoder (its stored preprocessing) and save the embeddings; --plot draws\n" +
            "a PCA or t-SNE map coloured by label.\n" +
            "Example: ecgclip embed --model models/ecgclip --data ptbxl:data/ptbxl --split test --out emb.npy --plot map.png")
        {
            model, data, split, labels, projection, limit, threads, output, plot, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            var proj = pr.GetValue(projection)?.Trim().ToLowerInvariant() switch
            {
                "pca" => EmbeddingProjection.Pca,
                "tsne" or "t-sne" => EmbeddingProjection.Tsne,
                var other => throw new ArgumentException($"--projection must be pca or tsne, got '{other}'"),
            };
            return Run(pr.GetValue(model)!, pr.GetValue(data)!, pr.GetValue(split)!, pr.GetValue(labels)!, proj, pr.GetValue(limit), pr.GetValue(threads),
                pr.GetValue(output)!, pr.GetValue(plot), pr.GetValue(json));
        }));
        return cmd;
    }

    private static int Run(string modelPath, string data, string splitName, string labelSet, EmbeddingProjection projection, int limit, int threads,
        string output, string? plot, bool json)
    {
        var watch = Stopwatch.StartNew();
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out {output}: embeddings are written as .npy");
        if (limit < 0) throw new ArgumentException($"--limit must be ≥ 0, got {limit}");
        if (!EvaluationTasks.LabelSets.Contains(labelSet.Trim().ToLowerInvariant())) throw new ArgumentException($"--color-by must be one of {string.Join(", ", EvaluationTasks.LabelSets)}, got '{labelSet}'");
        var dataset = EcgDatasetSource.Open(data, new EcgDatasetSourceOptions { LabelSet = EvaluationTasks.LabelSetFor(labelSet) });
        var items = splitName.Trim().ToLowerInvariant() == "all"
            ? dataset.Items.ToList()
            : DatasetSplits.TryParse(splitName, out var split) ? dataset.ItemsIn(split).ToList()
            : throw new ArgumentException($"--split must be train, val, test or all, got '{splitName}'");
        if (limit > 0 && items.Count > limit) items = items.Take(limit).ToList();
        if (items.Count < 3) throw new ArgumentException($"{dataset.Name}: only {items.Count} items in split '{splitName}'; a map needs at least 3");

        using var services = ModelCommandServices.Build(threads);
        using var model = services.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest(EcgClipModelFolder.ResolveCheckpoint(modelPath), "resnet18", 0));
        FeatureMatrix embeddings = null!;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("embedding", maxValue: items.Count);
            embeddings = EmbeddingCache.Compute(model, dataset, items, new EmbeddingOptions(64, 10, threads), new CountProgress(n => task.Value = n));
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        NpyWriter.Write(output, embeddings.Values.ToArray(), embeddings.Rows, embeddings.Columns);
        var colour = items.Select(i => i.Labels.Count switch { 0 => "none", 1 => i.Labels[0], _ => "multiple" }).ToList();
        string itemsFile = Path.ChangeExtension(output, ".items.csv");
        File.WriteAllLines(itemsFile, items.Select((item, k) => $"{Csv(item.Id)},{Csv(DatasetSplits.ToName(item.Split))},{Csv(string.Join(";", item.Labels))},{Csv(colour[k])}").Prepend("id,split,labels,colour"));
        if (plot is not null)
            EmbeddingMapPlot.Save(plot, embeddings.Values, embeddings.Rows, embeddings.Columns, colour, projection,
                $"{model.Name} · {dataset.Name} · {splitName} ({items.Count} ECGs) · {(projection == EmbeddingProjection.Pca ? "PCA" : "t-SNE")}");
        if (json) CliJson.WriteLine(new { embeddings = output, items = itemsFile, plot, rows = embeddings.Rows, dim = embeddings.Columns, wall_s = Math.Round(watch.Elapsed.TotalSeconds, 2) });
        else Console.WriteLine($"wrote {output} [{embeddings.Rows}, {embeddings.Columns}], {itemsFile}" + (plot is null ? "" : $", {plot}") + $" ({watch.Elapsed.TotalSeconds:F1} s)");
        return ExitCodes.Ok;
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private sealed class CountProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
