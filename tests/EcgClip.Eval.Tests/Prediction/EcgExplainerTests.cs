using EcgClip.Eval.Plots;
using EcgClip.Eval.Prediction;

namespace EcgClip.Eval.Tests.Prediction;

public sealed class EcgExplainerTests
{
    public EcgExplainerTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void IntegratedGradients_OfANamedOutput_AreComplete_AndPlotOntoThePaper()
    {
        using var encoder = PredictionTestModels.TinyEncoder();
        using var heads = PredictionTestModels.Heads(encoder.OutputDim);
        var explainer = new EcgExplainer(encoder, new EcgInputPreparer(PredictionTestModels.Input()), heads) { Steps = 64 };
        var record = PredictionTestModels.Record(100, 10);

        var explanation = explainer.Explain(record, "superdiagnostic", "MI", SaliencyMethod.IntegratedGradients);

        Assert.Equal(("superdiagnostic", "MI"), (explanation.Task, explanation.Output));
        Assert.Equal((1, 12, 1000), (explanation.Map.Batch, explanation.Map.Leads, explanation.Map.Samples));
        double expected = explanation.Map.ScoreDifference[0], sum = explanation.Map.Sum(0);
        Assert.True(Math.Abs(sum - expected) <= 0.01 * Math.Abs(expected) + 1e-6, $"sum {sum} vs f(x) − f(0) {expected}");
        Assert.InRange(explanation.Score, 0, 1);

        string png = Path.Combine(Path.GetTempPath(), $"ecgclip-explain-{Guid.NewGuid():N}.png");
        try
        {
            EcgPaperPlot.Save(png, record, new EcgPaperPlotOptions { Title = "MI (integrated gradients)" }, explanation.Map);
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 10_000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G');
        }
        finally { File.Delete(png); }
    }

    [Fact]
    public void GradCam_GivesOneRowOverTime_AndTheMostProbableLabelByDefault()
    {
        using var encoder = PredictionTestModels.TinyEncoder();
        using var heads = PredictionTestModels.Heads(encoder.OutputDim);
        var preparer = new EcgInputPreparer(PredictionTestModels.Input());
        var explainer = new EcgExplainer(encoder, preparer, heads);
        var record = PredictionTestModels.Record(100, 10);

        var explanation = explainer.Explain(record, "superdiagnostic", method: SaliencyMethod.GradCam);

        using var predictor = new EcgClipPredictor(encoder, preparer, heads);
        var probabilities = predictor.Predict(record).Tasks[0].Outputs;
        Assert.Equal(probabilities.MaxBy(o => o.Value).Key, explanation.Output);
        Assert.Equal(1, explanation.Map.Leads);
        Assert.All(explanation.Map.Values, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void UnknownTaskOrOutput_ListsWhatTheModelHas()
    {
        using var encoder = PredictionTestModels.TinyEncoder();
        using var heads = PredictionTestModels.Heads(encoder.OutputDim);
        var explainer = new EcgExplainer(encoder, new EcgInputPreparer(PredictionTestModels.Input()), heads);
        var record = PredictionTestModels.Record(100, 10);
        Assert.Contains("superdiagnostic, age", Assert.Throws<KeyNotFoundException>(() => explainer.Explain(record, "lvef")).Message);
        Assert.Contains("CD, HYP, MI, NORM, STTC", Assert.Throws<KeyNotFoundException>(() => explainer.Explain(record, "superdiagnostic", "AFIB")).Message);
    }
}
