using EcgClip.Core.Abstractions;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Tests.Reporting;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Formats.Npy;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class EvaluationRunnerTests
{
    public EvaluationRunnerTests()
    {
        EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(2);
    }

    private static EvaluationOptions Options(string task = "superdiagnostic", int limit = 60, int resamples = 50) => new()
    {
        Task = task,
        MaxItemsPerSplit = limit,
        Embedding = new EmbeddingOptions(32, 10, 2),
        DataEfficiency = new DataEfficiencyOptions
        {
            Fractions = [1.0],
            Seeds = [0],
            Probe = new LinearProbeOptions { MaxDegreeOfParallelism = 2 },
            Bootstrap = new BootstrapOptions(resamples, 0, 2),
        },
    };

    [Fact]
    public void Run_LinearProbe_EncoderWeightsAndBatchNormStatisticsBitIdentical()
    {
        using var scope = NewDisposeScope();
        var dataset = EvaluationTestData.Embedded();
        using var model = EvaluationTestData.TinyModel();
        var module = model.Encoder.Module;
        module.train(); // as a trainer leaves it: the protocol must switch to eval mode itself
        var before = EvaluationTestData.Snapshot(module);
        Assert.Contains(before.Keys, k => k.EndsWith("running_mean", StringComparison.Ordinal)); // BatchNorm statistics are in the snapshot
        using var dir = new TempFolder();

        var result = new EvaluationRunner(new EmbeddingCache()).Run(dataset, model, Options(), dir.Path);

        Assert.NotNull(result.Report!.Models[0].Runs.Single().Ranking);
        Assert.True(module.training, "the training flag is restored");
        Assert.True(EvaluationTestData.BitIdentical(before, module), "weights or BatchNorm buffers changed during embeddings + probe");

        // control: one forward pass in training mode moves the running statistics, so the check above can fail
        using (torch.no_grad()) model.Encoder.Encode(torch.randn(4, 12, 1000));
        Assert.False(EvaluationTestData.BitIdentical(before, module));
    }

    [Fact]
    public void Run_LinearProbe_ChangedTestLabels_SameSelectionDifferentTestScore()
    {
        var dataset = EvaluationTestData.Embedded();
        var flipped = new RelabelledTestDataset(dataset, item => dataset.LabelSpace.Names.Where(n => !item.Labels.Contains(n)).ToArray());
        using var model = EvaluationTestData.TinyModel();
        var cache = new EmbeddingCache();
        var runner = new EvaluationRunner(cache);
        using var a = new TempFolder();
        using var b = new TempFolder();

        var original = runner.Run(dataset, model, Options(), a.Path).Report!.Models[0].Runs.Single();
        var changed = runner.Run(flipped, model, Options(), b.Path).Report!.Models[0].Runs.Single();

        Assert.Equal(original.SelectedStrength, changed.SelectedStrength);
        Assert.Equal(original.ValidationCurve.Select(p => p.Score), changed.ValidationCurve.Select(p => p.Score));
        Assert.Equal(original.Test.Scores, changed.Test.Scores); // the fitted probe is the same
        // control: the test labels did change what is measured
        Assert.NotEqual(original.Ranking!.MacroAveragePrecision.Metric.Value, changed.Ranking!.MacroAveragePrecision.Metric.Value);
        Assert.Equal(3, cache.Count); // embeddings of the three splits, computed once for both runs
    }

    [Fact]
    public void Run_Age_ReportsMaeWithIntervalAndTrainingMeanBaseline()
    {
        var dataset = EvaluationTestData.Embedded();
        using var model = EvaluationTestData.TinyModel();
        using var dir = new TempFolder();
        const int limit = 80;

        var result = new EvaluationRunner(new EmbeddingCache()).Run(dataset, model, Options("age", limit, 200), dir.Path);

        Assert.Equal(TaskKind.Regression, result.Task.Kind);
        var run = result.Report!.Models[0].Runs.Single();
        var age = Assert.Single(run.Regression!.Targets);
        Assert.Equal("age", age.Name);
        var ci = Assert.NotNull(age.MeanAbsoluteErrorInterval);
        Assert.InRange(age.Metrics.MeanAbsoluteError, ci.Lower, ci.Upper);
        Assert.True(ci.Upper > ci.Lower);

        // the baseline, recomputed from the items: mean training age, MAE on the test items with an age
        static double[] Ages(IEnumerable<EcgTextItem> items) => items.Select(i => i.Targets["age"]).Where(double.IsFinite).ToArray();
        var trainAges = Ages(dataset.ItemsIn(DatasetSplit.Train).Take(limit));
        var testAges = Ages(dataset.ItemsIn(DatasetSplit.Test).Take(limit));
        double mean = trainAges.Average();
        Assert.Equal(mean, age.TrainingMean, 9);
        Assert.Equal(testAges.Average(y => Math.Abs(y - mean)), age.Baseline.MeanAbsoluteError, 9);
        Assert.NotNull(age.BaselineMeanAbsoluteErrorInterval);

        // the saved files hold the same rows and give the same MAE
        var folder = Path.Combine(dir.Path, "random", "fraction_1", "seed_0");
        var y = NpyReader.Read(Path.Combine(folder, "test_labels.npy")).ToDoubleArray();
        var s = NpyReader.Read(Path.Combine(folder, "test_scores.npy")).ToDoubleArray();
        Assert.Equal(testAges.Length, y.Length);
        Assert.Equal(age.Metrics.MeanAbsoluteError, y.Zip(s, (t, p) => Math.Abs(t - p)).Average(), 9);
    }

    [Fact]
    public void RunLinearProbe_TwoModels_SameTestRowsAndPairedComparisons()
    {
        var dataset = EvaluationTestData.Embedded();
        using var a = EvaluationTestData.TinyModel(3, "a");
        using var b = EvaluationTestData.TinyModel(4, "b");
        using var dir = new TempFolder();
        var options = Options(limit: 80) with { DataEfficiency = Options().DataEfficiency with { Fractions = [0.5, 1.0], Seeds = [0, 1] } };

        var result = new EvaluationRunner(new EmbeddingCache()).RunLinearProbe(dataset, [a, b], options, dir.Path);

        var report = result.Report!;
        Assert.Equal(["a", "b"], report.Models.Select(m => m.Model));
        Assert.Equal(report.Models[0].Runs.First().Test.Targets, report.Models[1].Runs.First().Test.Targets);
        Assert.NotEqual(report.Models[0].Runs.First().Test.Scores, report.Models[1].Runs.First().Test.Scores);
        // matching fraction and seed (0.5 × 2 seeds, 1 × 1) plus a at 50% vs b at 100% (2 seeds)
        Assert.Equal(5, report.Comparisons.Count);
        Assert.All(report.Comparisons, c => Assert.Equal(("a", "b"), (c.ModelA, c.ModelB)));
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "b", "fraction_0.5", "seed_1")));
    }

    [Fact]
    public void Run_TwoLabelSetsOfOneSource_EmbedOnce()
    {
        using var model = EvaluationTestData.TinyModel();
        var cache = new EmbeddingCache();
        var runner = new EvaluationRunner(cache);
        using var a = new TempFolder();
        using var b = new TempFolder();
        runner.Run(EvaluationTestData.Embedded(PtbXlLabelSet.Superdiagnostic), model, Options(limit: 30), a.Path);
        runner.Run(EvaluationTestData.Embedded(PtbXlLabelSet.Rhythm), model, Options("rhythm", 30), b.Path);
        Assert.Equal(3, cache.Count);
        using var other = EvaluationTestData.TinyModel(4);
        runner.Run(EvaluationTestData.Embedded(PtbXlLabelSet.Rhythm), other, Options("rhythm", 30), b.Path);
        Assert.Equal(6, cache.Count); // another model's weights are another computation
    }

    [Fact]
    public void Run_ZeroShotWithoutTextTower_ThrowsTextTowerRequired()
    {
        var dataset = EvaluationTestData.Embedded();
        using var model = EvaluationTestData.TinyModel();
        using var dir = new TempFolder();
        var ex = Assert.Throws<TextTowerRequiredException>(() =>
            new EvaluationRunner(new EmbeddingCache()).Run(dataset, model, Options() with { Protocol = EvaluationProtocol.ZeroShot }, dir.Path));
        Assert.Contains("text tower", ex.Message);
    }

    [Fact]
    public void Run_ZeroShotAndRetrieval_WithTextTower_WriteReports()
    {
        var dataset = EvaluationTestData.Embedded();
        using var tiny = EvaluationTestData.TinyModel();
        using var model = new EvaluationModel("fake", new SharedEncoder(tiny.Encoder), null, new HashTextEmbedder(6), "fake-text");
        using var zs = new TempFolder();
        using var rt = new TempFolder();
        var runner = new EvaluationRunner(new EmbeddingCache());

        var zero = runner.Run(dataset, model, Options(limit: 40) with { Protocol = EvaluationProtocol.ZeroShot }, zs.Path);
        var run = zero.Report!.Models[0].Runs.Single();
        Assert.Equal(dataset.LabelSpace.Names, run.Test.Names);
        Assert.All(run.Test.Scores, v => Assert.InRange(v, -1.0000001, 1.0000001)); // cosine scores
        Assert.True(File.Exists(zero.Files.Json));
        Assert.NotEmpty(zero.Plots);

        var retrieval = runner.Run(dataset, model, Options(limit: 40) with { Protocol = EvaluationProtocol.Retrieval }, rt.Path);
        var r = retrieval.Retrieval!;
        Assert.Equal(40, r.EcgToText.Queries);
        Assert.Equal(r.EcgToText.Candidates, r.TextToEcg.Queries); // one query per unique text
        Assert.True(r.EcgToText.Candidates <= 40);
        Assert.All(r.EcgToText.Recall, k => Assert.InRange(k.Recall, 0, 1));
        Assert.True(File.Exists(retrieval.Files.Markdown));
    }

    [Fact]
    public void PromptsFor_ClassWithOwnPrompts_UsesThemElseTemplates()
    {
        var o = new EvaluationOptions { PromptTemplates = ["{0}", "ECG: {0}"], ClassPrompts = new Dictionary<string, IReadOnlyList<string>> { ["MI"] = ["myokardinfarkt"] } };
        Assert.Equal(["myokardinfarkt"], o.PromptsFor("MI"));
        Assert.Equal(["NORM", "ECG: NORM"], o.PromptsFor("NORM"));
    }

    [Fact]
    public void Resolve_UnknownTask_ThrowsListingChoices()
    {
        var ex = Assert.Throws<ArgumentException>(() => EvaluationTasks.Resolve("lvef", EvaluationTestData.Embedded()));
        Assert.Contains("superdiagnostic", ex.Message);
        Assert.Contains("age", ex.Message);
    }

    [Fact]
    public void Resolve_SexAndLabelColumn_AreBinary()
    {
        var dataset = EvaluationTestData.Embedded();
        Assert.Equal(new EvaluationTask("sex", TaskKind.Binary, "sex"), EvaluationTasks.Resolve("sex", dataset));
        Assert.Equal(new EvaluationTask("MI", TaskKind.Binary, "MI"), EvaluationTasks.Resolve("MI", dataset));
        Assert.Equal(TaskKind.Multilabel, EvaluationTasks.Resolve("superdiagnostic", dataset).Kind);
    }

    /// <summary>A deterministic stand-in text tower: a seeded random unit vector per distinct text.</summary>
    private sealed class HashTextEmbedder(int dim) : IReportTextEmbedder
    {
        public int OutputDim => dim;
        public string Normalize(string report) => report.Trim().ToLowerInvariant();
        public FeatureMatrix Embed(IReadOnlyList<string> texts)
        {
            var data = new float[texts.Count * dim];
            for (int i = 0; i < texts.Count; i++)
            {
                var rng = new Random(StringComparer.Ordinal.GetHashCode(texts[i]) & 0x7fffffff);
                for (int k = 0; k < dim; k++) data[i * dim + k] = (float)(rng.NextDouble() - 0.5);
            }
            return new FeatureMatrix(data, texts.Count, dim);
        }
        public void Dispose() { }
    }

    /// <summary>Lends an encoder to a second model without handing over its disposal.</summary>
    private sealed class SharedEncoder(IEcgEncoder inner) : IEcgEncoder
    {
        public int OutputDim => inner.OutputDim;
        public IReadOnlyList<string> Leads => inner.Leads;
        public double SamplingRate => inner.SamplingRate;
        public nn.Module Module => inner.Module;
        public Tensor Encode(Tensor ecg) => inner.Encode(ecg);
        public EcgEncoding EncodeWithFeatureMap(Tensor ecg) => inner.EncodeWithFeatureMap(ecg);
        public void Dispose() { }
    }
}
