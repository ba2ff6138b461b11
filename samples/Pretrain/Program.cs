// ECGCLIP pretraining through the library API with dependency injection: what `ecgclip pretrain` does, in ~40 lines.
// Defaults are tiny (a few steps on 96 pairs per split of the embedded PTB-XL subset) so it runs in about a minute:
//   dotnet run --project samples/Pretrain -c Release [-- --steps 20 --limit 400 --out /tmp/pretrain-sample]
using EcgClip.Core.Models;
using EcgClip.Core.Training;
using EcgClip.Signal.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

int steps = Arg("--steps", 4), limit = Arg("--limit", 96);
string output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "ecgclip-pretrain-sample");

using var services = new ServiceCollection()
    .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information))
    .AddEcgClip()        // model catalog, objectives, model factory, trainer
    .AddEcgClipText()    // the text tower builder (WordPiece trained on the training split)
    .AddEcgClipEval()    // the validation evaluator (retrieval R@K over unique texts, zero-shot AUROC)
    .BuildServiceProvider();
services.GetRequiredService<TorchRuntime>().EnsureThreads(2);

// Data: the embedded PTB-XL subset (folds 1–8 train / 9 validation / 10 test), cut to `limit` pairs per split.
var dataset = EcgDatasetSource.Open(EcgDatasetSource.Embedded);
var full = TrainingData.FromSplits(dataset);
var data = full with { Train = full.Train.Take(limit).ToList(), Validation = full.Validation.Take(limit).ToList(), Test = full.Test.Take(limit).ToList() };

// Model: ResNet-18 (MERL stem) + Transformer text tower, CLIP objective; the vocabulary is trained on the training reports only.
var factory = services.GetRequiredService<IEcgClipModelFactory>();
using var bundle = factory.Create("resnet18", "clip", 100, data.Train.Select(i => i.Report).ToList(), seed: 0);

var options = new TrainerOptions { OutputDirectory = output, Steps = steps, BatchSize = 16, Seed = 0, Deterministic = true };
var summary = services.GetRequiredService<Trainer>().Run(bundle, data, options);

Console.WriteLine($"steps {summary.Steps}: loss {summary.LossFirst:F3} -> {summary.LossLast:F3}, {summary.EcgPerSecond:F1} ECG/s");
Console.WriteLine($"test ECG->report R@10 {summary.Test.GetValueOrDefault("ecg_to_text_r10"):F3} (chance {summary.Test.GetValueOrDefault("chance_r10"):F3})");
Console.WriteLine($"checkpoint {summary.LastCheckpoint}; weights_sha256 {summary.WeightsSha256}");

// A checkpoint alone rebuilds the model with its tokenizer and preprocessing, as a serving process would.
using var served = factory.FromPretrained(summary.LastCheckpoint!);
Console.WriteLine($"reloaded {served.Config.Name}: {served.Preprocessing.OutputSamplingRateHz} Hz input, weights {(EcgClip.Core.Training.Checkpoints.ModuleState.Sha256(served.Model) == summary.WeightsSha256 ? "identical" : "DIFFERENT")}");
return 0;

int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v && int.TryParse(v, out int n) ? n : fallback;
