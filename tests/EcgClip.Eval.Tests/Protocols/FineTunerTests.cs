using EcgClip.Core.Encoders;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class FineTunerTests
{
    public FineTunerTests()
    {
        EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(2);
    }

    private const int Leads = 12, Samples = 64;

    /// <summary>Noise; positives carry a 5 Hz-like sine on every lead (learnable by a tiny CNN in a few epochs).</summary>
    private static FineTuneSplit Split(DatasetSplit split, int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * Leads * Samples];
        var y = new bool[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2 == 0;
            for (int l = 0; l < Leads; l++)
                for (int s = 0; s < Samples; s++)
                    x[(i * Leads + l) * Samples + s] = (float)(rng.NextDouble() - 0.5 + (y[i] ? 1.5 * Math.Sin(s * 0.8) : 0));
        }
        return new FineTuneSplit(split, x, Leads, Samples, ProbeTargets.Binary(y, "sine"));
    }

    private static ResNetEcgEncoder Tiny()
    {
        torch.manual_seed(5);
        return new ResNetEcgEncoder(new EncoderConfig { Name = "tiny", Layers = [1], Widths = [8], EmbeddingDim = 4 });
    }

    [Fact]
    public void Run_SeparableTinyTask_LearnsAndRestoresEncoder()
    {
        using var scope = NewDisposeScope();
        using var encoder = Tiny();
        encoder.eval();
        var before = EvaluationTestData.Snapshot(encoder);
        var options = new FineTuneOptions { Epochs = 6, LearningRate = 3e-3, BatchSize = 16, Patience = 2, Seed = 1 };

        var result = new FineTuner().Run(encoder, Split(DatasetSplit.Train, 96, 1), Split(DatasetSplit.Validation, 32, 2), Split(DatasetSplit.Test, 40, 3), options);

        double? auroc = RankingMetrics.AreaUnderRoc(result.Test.Scores, result.Test.Targets.Select(v => v == 1).ToArray());
        Assert.True(auroc > 0.9, $"test AUROC {auroc}");
        Assert.InRange(result.BestEpoch, 1, result.ValidationCurve.Count);
        Assert.Equal(result.ValidationCurve.Min(p => p.Score), result.ValidationCurve[result.BestEpoch - 1].Score); // kept = lowest validation loss
        Assert.True(result.ValidationCurve[^1].Iterations > 0);
        Assert.All(result.Test.Scores, p => Assert.InRange(p, 0, 1));
        Assert.False(encoder.training, "training flag restored");
        Assert.True(EvaluationTestData.BitIdentical(before, encoder), "the encoder's weights are restored after the run");
    }

    [Fact]
    public void Run_SameSeed_SameTestScores()
    {
        using var scope = NewDisposeScope();
        using var encoder = Tiny();
        var options = new FineTuneOptions { Epochs = 2, BatchSize = 16, Seed = 7 };
        var tuner = new FineTuner();
        var a = tuner.Run(encoder, Split(DatasetSplit.Train, 48, 1), Split(DatasetSplit.Validation, 16, 2), Split(DatasetSplit.Test, 16, 3), options);
        var b = tuner.Run(encoder, Split(DatasetSplit.Train, 48, 1), Split(DatasetSplit.Validation, 16, 2), Split(DatasetSplit.Test, 16, 3), options);
        Assert.Equal(a.Test.Scores, b.Test.Scores);
    }

    [Theory]
    [InlineData(DatasetSplit.Test, DatasetSplit.Validation)]
    [InlineData(DatasetSplit.Train, DatasetSplit.Test)]
    public void Run_TestSplitInTrainingOrEarlyStopping_Throws(DatasetSplit trainTag, DatasetSplit validationTag)
    {
        using var encoder = Tiny();
        var ex = Assert.Throws<ArgumentException>(() => new FineTuner().Run(encoder, Split(trainTag, 8, 1), Split(validationTag, 8, 2), Split(DatasetSplit.Test, 8, 3)));
        Assert.Contains("Test", ex.Message);
    }

    [Fact]
    public void Run_ChangedTestLabels_SameBestEpochAndPredictions()
    {
        using var scope = NewDisposeScope();
        using var encoder = Tiny();
        var options = new FineTuneOptions { Epochs = 3, BatchSize = 16, Patience = 1, Seed = 2 };
        var test = Split(DatasetSplit.Test, 24, 3);
        var flipped = new FineTuneSplit(DatasetSplit.Test, test.Inputs, Leads, Samples,
            ProbeTargets.Binary(test.Targets.Values.ToArray().Select(v => v != 1).ToArray(), "sine"));
        var tuner = new FineTuner();
        var a = tuner.Run(encoder, Split(DatasetSplit.Train, 48, 1), Split(DatasetSplit.Validation, 16, 2), test, options);
        var b = tuner.Run(encoder, Split(DatasetSplit.Train, 48, 1), Split(DatasetSplit.Validation, 16, 2), flipped, options);
        Assert.Equal(a.BestEpoch, b.BestEpoch);
        Assert.Equal(a.ValidationCurve.Select(p => p.Score), b.ValidationCurve.Select(p => p.Score));
        Assert.Equal(a.Test.Scores, b.Test.Scores);
        Assert.NotEqual(a.Test.Targets, b.Test.Targets);
    }

    [Fact]
    public void Run_InsideScope_LeavesNoLiveTensors()
    {
        using var encoder = Tiny();
        var train = Split(DatasetSplit.Train, 32, 1);
        var val = Split(DatasetSplit.Validation, 16, 2);
        var test = Split(DatasetSplit.Test, 16, 3);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
            new FineTuner().Run(encoder, train, val, test, new FineTuneOptions { Epochs = 2, BatchSize = 16 });
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
