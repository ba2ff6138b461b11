using System.CommandLine;
using System.Runtime.InteropServices;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.Mpi;
using EcgClip.Core.Encoders;
using EcgClip.Core.Models;
using EcgClip.Core.Performance;
using EcgClip.Core.Precision;
using EcgClip.Core.Training;
using EcgClip.Signal.Datasets;
using EcgClip.Text.Encoders.Bert;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip pretrain</c>: ECG–report contrastive pretraining (the README's main job).</summary>
internal sealed class PretrainCommand : ICommandFactory
{
    /// <summary>Default epochs: on PTB-XL's 1,999 records at 100 Hz (≈1,600 training pairs) a run fits in 15 minutes on 2 cores.</summary>
    internal const int DefaultEpochs = 10;

    /// <summary>Exit code of a run stopped by Ctrl-C / SIGTERM after writing its checkpoint.</summary>
    internal const int Interrupted = 130;

    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data: embedded (default: the PTB-XL subset shipped with EcgClip), ptbxl:<dir>, manifest:<csv> (a text column), shards:<dir> (from 'ecgclip dataset build') or cinc:<dir>. PTB-XL splits folds 1–8 train / 9 validation / 10 test.", DefaultValueFactory = _ => EcgDatasetSource.Embedded };
        var fs = new Option<int>("--fs") { Description = "Sampling rate in Hz: which PTB-XL records to read and the model's input rate (default 100).", DefaultValueFactory = _ => 100 };
        var backbone = new Option<string>("--backbone") { Description = "ECG tower: resnet18 (default) or resnet34 (MERL stem, no max-pool).", DefaultValueFactory = _ => "resnet18" };
        var objective = new Option<string>("--objective") { Description = "Contrastive objective: clip (default; learnable temperature), siglip (sigmoid loss) or merl (CLIP with fixed τ 0.07 + UMA between two dropout views).", DefaultValueFactory = _ => "clip" };
        var config = new Option<string?>("--config") { Description = "A model configuration JSON (as written to a checkpoint's config.json) instead of --backbone/--objective/--fs defaults." };
        var textTower = new Option<string?>("--text-tower") { Description = "Report tower: transformer (default: from scratch, WordPiece vocabulary trained on the training split) or bert:<dir>, a Hugging Face BERT folder (config.json, model.safetensors, vocab.txt; its own vocabulary and lower-casing) with a trainable projection. The checkpoint holds the BERT weights, config and vocabulary, so it never needs <dir> again." };
        var freezeTextLayers = new Option<int?>("--freeze-text-layers") { Description = "With --text-tower bert:<dir>: freeze the embeddings and the first K layers (default: all layers; then each distinct report runs through BERT once and its features are cached). 0 fine-tunes all of BERT." };
        var textPooling = new Option<string?>("--text-pooling") { Description = "With --text-tower bert:<dir>: cls (default), mean (masked mean of the last hidden states) or pooler (BERT's tanh pooler, trained)." };
        var epochs = new Option<int>("--epochs") { Description = $"Epochs over the training split (default {DefaultEpochs}).", DefaultValueFactory = _ => DefaultEpochs };
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps in total; overrides --epochs." };
        var batch = new Option<int>("--batch-size") { Description = "ECG–report pairs per batch (default 32).", DefaultValueFactory = _ => 32 };
        var accumulation = new Option<int>("--grad-accumulation") { Description = "Micro-batches per optimisation step (default 1).", DefaultValueFactory = _ => 1 };
        var lr = new Option<double>("--lr") { Description = "Peak AdamW learning rate, after a 5% linear warm-up, then cosine decay (default 1e-3).", DefaultValueFactory = _ => 1e-3 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay, not applied to biases, norms and the logit scale (default 0.05).", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<long>("--seed") { Description = "Seed of weights, data order, augmentation and dropout (default 0).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (default 2).", DefaultValueFactory = _ => 2 };
        var workers = new Option<int>("--workers") { Description = "Loader threads for reading, preprocessing and augmenting records (default 1).", DefaultValueFactory = _ => 1 };
        var precision = new Option<string>("--precision") { Description = "float32 (default) or bf16: the ECG tower computes in bfloat16 with float32 master weights and optimiser state.", DefaultValueFactory = _ => "float32" };
        var deterministic = new Option<bool>("--deterministic") { Description = "Deterministic mode: one loader worker and per-step seeding, so the same arguments give the same weights_sha256, also across --resume." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write a checkpoint every N optimisation steps (default 0: at the end, at the best validation, and on Ctrl-C/SIGTERM).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Run folder: checkpoints/, metrics.jsonl, skipped_records.csv.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the latest complete checkpoint in --out (half-written ones of a killed run are removed first)." };
        var limit = new Option<int?>("--limit") { Description = "Use at most N records of each split (first N in source order), for smoke runs." };
        var verbose = new Option<bool>("--verbose") { Description = "Log progress details to stderr." };
        var distributed = new Option<string>("--distributed") { Description = "none (default) or mpi: data-parallel over the ranks of 'mpiexec -n N ecgclip pretrain …' (needs MPICH). --batch-size is per rank (global batch = N × batch); rank 0 alone writes --out and prints.", DefaultValueFactory = _ => "none" };
        var collectiveTimeout = new Option<double>("--collective-timeout") { Description = "With --distributed mpi: seconds a rank waits for its peers in one collective before the job is aborted with an error (default 45).", DefaultValueFactory = _ => 45 };
        var allocator = new Option<string>("--allocator") { Description = "tuned (default): glibc keeps freed activations in its heap (no page faults per step, and a resident size that stays at the run's working set instead of swinging with glibc's heap trims); default: glibc's own thresholds. MALLOC_MMAP_THRESHOLD_ in the environment wins.", DefaultValueFactory = _ => "tuned" };
        var json = new Option<bool>("--json") { Description = "Print one JSON summary line (ecg_per_s, loss_first, loss_last, val/test retrieval R@10, weights_sha256, ...) instead of the progress bar and table." };
        var cmd = new Command("pretrain",
            "Contrastive ECG–report pretraining (ECGCLIP): a 1-D ResNet ECG tower and a report tower (a Transformer with a WordPiece vocabulary\n" +
            "trained on the training split only, or a published BERT with its first K layers frozen) aligned by CLIP, SigLIP or MERL. Validates each epoch (ECG↔report retrieval R@1/5/10 over the unique\n" +
            "report texts, zero-shot superclass AUROC), keeps the best checkpoint by validation R@10 and scores the test split once at the end.\n" +
            "Ctrl-C or SIGTERM writes a checkpoint and exits with code 130; --resume continues it. Exit 2: bad input (file and reason named).")
        {
            data, fs, backbone, objective, config, textTower, freezeTextLayers, textPooling, epochs, steps, batch, accumulation, lr, weightDecay, seed, threads, workers, precision,
            deterministic, checkpointEvery, output, resume, limit, verbose, distributed, collectiveTimeout, allocator, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            bool asJson = pr.GetValue(json);
            if (!ComputePrecisions.TryParse(pr.GetValue(precision), out var prec)) throw new ArgumentException($"--precision must be float32 or bf16, got '{pr.GetValue(precision)}'");
            if (pr.GetValue(threads) < 1) throw new ArgumentException($"--threads must be positive, got {pr.GetValue(threads)}");
            if (prec == ComputePrecision.BFloat16 && Bf16Support.Detect() is { Native: false } bf16)
                Console.Error.WriteLine($"warning: --precision bf16: {bf16.Reason}; --precision float32 is the faster choice here");
            int rate = pr.GetValue(fs);
            if (rate is not (100 or 500)) throw new ArgumentException($"--fs must be 100 or 500, got {rate}");
            string outDir = pr.GetValue(output)!;
            var options = new TrainerOptions
            {
                OutputDirectory = outDir, Epochs = pr.GetValue(epochs), Steps = pr.GetValue(steps), BatchSize = pr.GetValue(batch),
                GradientAccumulation = pr.GetValue(accumulation), LearningRate = pr.GetValue(lr), WeightDecay = pr.GetValue(weightDecay),
                Precision = prec, Seed = pr.GetValue(seed), Deterministic = pr.GetValue(deterministic), CheckpointEvery = pr.GetValue(checkpointEvery),
                Resume = pr.GetValue(resume), Workers = pr.GetValue(workers),
            };
            options.ThrowIfInvalid();
            string backendName = pr.GetValue(distributed)!.Trim().ToLowerInvariant();
            if (!DistributedOptions.KnownBackends.Contains(backendName)) throw new ArgumentException($"--distributed must be none or mpi, got '{pr.GetValue(distributed)}'");
            double timeout = pr.GetValue(collectiveTimeout);
            if (!(timeout >= 0.1 && timeout <= 86_400)) throw new ArgumentException($"--collective-timeout must be in [0.1, 86400] seconds, got {timeout}");
            string allocatorMode = pr.GetValue(allocator)!;
            if (allocatorMode is not ("tuned" or "default")) throw new ArgumentException($"--allocator must be tuned or default, got '{allocatorMode}'");
            // before any tensor exists: process-wide, and a CLI's decision (the library never calls it)
            if (allocatorMode == "tuned") NativeAllocatorTuning.Apply();
            bool secondaryRank = false; // set once the backend knows the rank: ranks > 0 log errors only (rank 0 speaks for the job)

            using var provider = new ServiceCollection()
                .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(pr.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning)
                    .AddFilter("Microsoft", LogLevel.Warning).AddFilter((_, level) => level >= (secondaryRank ? LogLevel.Error : pr.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning)))
                .Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddEcgClip().AddEcgClipText().AddEcgClipEval()
                .AddEcgClipDistributed(o => { o.Backend = backendName; o.CollectiveTimeoutSeconds = timeout; })
                .AddSingleton<DistributedTraining>()
                .BuildServiceProvider();
            DistributedTraining dist;
            try
            {
                dist = provider.GetRequiredService<DistributedTraining>(); // --distributed mpi: MPI_Init here
            }
            catch (DistributedUnavailableException ex)
            {
                throw new ArgumentException($"--distributed mpi: {ex.Message}", ex);
            }
            secondaryRank = !dist.IsPrimary;
            provider.GetRequiredService<TorchRuntime>().EnsureThreads(pr.GetValue(threads));

            string spec = pr.GetValue(data)!;
            using var shards = spec.StartsWith("shards:", StringComparison.OrdinalIgnoreCase) ? ShardTextDataset.Open(spec["shards:".Length..]) : null;
            IEcgTextDataset dataset = shards ?? EcgDatasetSource.Open(spec, new EcgDatasetSourceOptions { SamplingRate = rate, Seed = (int)pr.GetValue(seed) });
            var split = TrainingData.FromSplits(dataset);
            if (pr.GetValue(limit) is { } n)
            {
                if (n < 2) throw new ArgumentException($"--limit must be at least 2, got {n}");
                split = split with { Train = split.Train.Take(n).ToList(), Validation = split.Validation.Take(n).ToList(), Test = split.Test.Take(n).ToList() };
            }
            if (split.Train.Count < options.BatchSize)
                throw new ArgumentException($"{pr.GetValue(data)}: the training split has {split.Train.Count} pairs, fewer than one batch of {options.BatchSize}");
            var factory = provider.GetRequiredService<IEcgClipModelFactory>();
            string? latest = options.Resume ? dist.LatestCheckpoint(outDir) : null; // rank 0 cleans up, all ranks load the same one
            ModelConfig modelConfig = pr.GetValue(config) is { } configPath
                ? ModelConfig.Load(configPath)
                : ModelConfig.CreateDefault(provider.GetRequiredService<ModelCatalog>().Get(pr.GetValue(backbone)!), pr.GetValue(objective)!, rate);
            modelConfig = modelConfig with { Text = TextTowerOption.Apply(modelConfig.Text, pr.GetValue(textTower), pr.GetValue(freezeTextLayers), pr.GetValue(textPooling)) };
            if (!provider.GetRequiredService<EcgClip.Core.Objectives.ObjectiveRegistry>().Contains(modelConfig.Objective.Name))
                throw new ArgumentException($"--objective must be clip, siglip or merl, got '{modelConfig.Objective.Name}'");
            using var bundle = latest is not null
                ? factory.FromPretrained(latest)
                : factory.Create(modelConfig, split.Train.Select(i => i.Report).ToList(), options.Seed);

            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; cts.Cancel(); });
            var trainer = provider.GetRequiredService<Trainer>();
            TrainingSummary summary;
            try
            {
                if (asJson || !dist.IsPrimary || !AnsiConsole.Profile.Capabilities.Interactive)
                {
                    summary = trainer.Run(bundle, split, options, null, cts.Token);
                }
                else
                {
                    summary = null!;
                    AnsiConsole.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                        .Start(ctx =>
                        {
                            var task = ctx.AddTask($"pretrain {bundle.Config.Name}");
                            summary = trainer.Run(bundle, split, options, new DirectProgress(p =>
                            {
                                task.MaxValue = p.TotalSteps;
                                task.Value = p.Step;
                                task.Description = $"epoch {p.Epoch + 1} step {p.Step}/{p.TotalSteps} loss {p.Loss:F3} {p.EcgPerSecond:F0} ECG/s";
                            }), cts.Token);
                        });
                }
            }
            catch (DistributedException ex) when (dist.Active)
            {
                // A dead or stuck peer: say so on this rank, then end every rank (exit 3) instead of leaving any waiting.
                // Checkpoints already written are complete (atomic renames), so --resume continues from the last one.
                Console.Error.WriteLine($"error: [rank {dist.Rank}/{dist.WorldSize}] {ex.Message}; the last complete checkpoint in {outDir} is kept, continue with --resume");
                dist.Backend.Abort(MpiBackend.FailureExitCode);
                throw;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            if (!dist.IsPrimary) return summary.Interrupted ? Interrupted : ExitCodes.Ok; // rank 0 alone prints

            var val = summary.Validation;
            var test = summary.Test;
            var textCache = (bundle.Model.TextEncoder as BertTextEncoder)?.FeatureCache;
            if (asJson)
            {
                CliJson.WriteLine(new
                {
                    model = bundle.Config.Name, data = pr.GetValue(data), backbone = bundle.Config.Ecg.Name, objective = bundle.Config.Objective.Name,
                    text_tower = bundle.Config.Text.Encoder, text_frozen_layers = (bundle.Model.TextEncoder as BertTextEncoder)?.FrozenLayerCount,
                    text_cache_hits = textCache?.Hits, text_cache_misses = textCache?.Misses, text_cache_rows_encoded = textCache?.RowsEncoded,
                    precision = prec.ToName(), threads = pr.GetValue(threads), seed = options.Seed, steps = summary.Steps, steps_this_run = summary.StepsThisRun,
                    epochs = summary.Epochs, train_pairs = split.Train.Count, val_pairs = split.Validation.Count, test_pairs = split.Test.Count,
                    ecg_per_s = Round(summary.EcgPerSecond), loader_records_per_s = Round(summary.LoaderRecordsPerSecond),
                    loss_first = Round(summary.LossFirst), loss_last = Round(summary.LossLast),
                    val_retrieval_r10 = Metric(val, "ecg_to_text_r10"), val_text_to_ecg_r10 = Metric(val, "text_to_ecg_r10"), val_zero_shot_auroc = Metric(val, "zero_shot_macro_auroc"),
                    test_retrieval_r1 = Metric(test, "ecg_to_text_r1"), test_retrieval_r5 = Metric(test, "ecg_to_text_r5"),
                    test_retrieval_r10 = Metric(test, "ecg_to_text_r10"), test_retrieval_r10_chance = Metric(test, "chance_r10"),
                    test_text_to_ecg_r10 = Metric(test, "text_to_ecg_r10"), test_zero_shot_auroc = Metric(test, "zero_shot_macro_auroc"),
                    test_unique_texts = Metric(test, "unique_texts"),
                    weights_sha256 = summary.WeightsSha256, distributed = dist.Backend.Name, world_size = summary.WorldSize,
                    global_batch = options.BatchSize * summary.WorldSize, rank_weights_sha256 = summary.RankWeightsSha256, skipped = summary.Skipped, wall_s = Round(summary.WallSeconds),
                    interrupted = summary.Interrupted, resumed_from_step = summary.ResumedFromStep,
                    best_checkpoint = summary.BestCheckpoint, last_checkpoint = summary.LastCheckpoint,
                });
            }
            else
            {
                var table = new Table().Title($"pretrain {bundle.Config.Name}").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
                void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
                Row("steps (this run)", $"{summary.Steps} ({summary.StepsThisRun})");
                Row("loss first → last", $"{summary.LossFirst:F3} → {summary.LossLast:F3}");
                Row("training ECG/s", $"{summary.EcgPerSecond:F1}");
                Row("loader records/s", $"{summary.LoaderRecordsPerSecond:F0}");
                Row("val ECG→report R@10", Format(val, "ecg_to_text_r10"));
                Row("test ECG→report R@10 (chance)", $"{Format(test, "ecg_to_text_r10")} ({Format(test, "chance_r10")})");
                Row("test report→ECG R@10", Format(test, "text_to_ecg_r10"));
                Row("test zero-shot macro AUROC", Format(test, "zero_shot_macro_auroc"));
                if (textCache is not null) Row("text feature cache hits / rows encoded", $"{textCache.Hits} / {textCache.RowsEncoded}");
                Row("skipped records", summary.Skipped.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Row("wall time", $"{summary.WallSeconds:F0} s");
                Row("best checkpoint", summary.BestCheckpoint ?? "-");
                Row("weights_sha256", summary.WeightsSha256);
                AnsiConsole.Write(table);
                if (summary.Interrupted) AnsiConsole.MarkupLine($"[yellow]interrupted[/]: checkpoint {Markup.Escape(summary.LastCheckpoint ?? "")} written; continue with --resume");
            }
            return summary.Interrupted ? Interrupted : ExitCodes.Ok;
        }));
        return cmd;
    }

    private static double? Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;

    private static double? Metric(IReadOnlyDictionary<string, double> m, string key) => m.TryGetValue(key, out var v) ? Round(v) : null;

    private static string Format(IReadOnlyDictionary<string, double> m, string key) => m.TryGetValue(key, out var v) ? v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private sealed class DirectProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
