using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Heads;
using EcgClip.Eval.Prediction;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Records;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Prediction;

/// <summary>Small seeded encoders, heads and synthetic records for the predictor tests.</summary>
internal static class PredictionTestModels
{
    public static readonly string[] Canonical = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    public static ResNetEcgEncoder TinyEncoder(long seed = 1)
    {
        manual_seed(seed);
        var config = new ModelCatalog().Get("resnet18") with { Widths = [8, 16, 16, 32], Layers = [1, 1, 1, 1], EmbeddingDim = 8 };
        var encoder = new ResNetEcgEncoder(config);
        encoder.eval();
        return encoder;
    }

    public static TaskHeadSet Heads(int inputDim, long seed = 2)
    {
        manual_seed(seed);
        return new TaskHeadSet(
        [
            (new TaskHeadSpec("superdiagnostic", TaskKind.Multilabel, ["CD", "HYP", "MI", "NORM", "STTC"], inputDim), new LinearTaskHead(TaskKind.Multilabel, inputDim, 5)),
            (new TaskHeadSpec("age", TaskKind.Regression, ["age"], inputDim), new LinearTaskHead(TaskKind.Regression, inputDim, 1)),
        ]);
    }

    public static EcgInputOptions Input(double fs = 100, int samples = 1000) => new()
    {
        Preprocessing = new PreprocessingConfig { SamplingRateHz = fs, BandPass = new FrequencyBand(0.5, 40), Normalization = NormalizationMethod.ZScore },
        Samples = samples,
    };

    /// <summary>A synthetic 12-lead record: a few sinusoids per lead plus a seeded offset, in mV (or other units).</summary>
    public static EcgRecord Record(double fs, double seconds, IReadOnlyList<string>? leads = null, string units = "mV", double scale = 1, string name = "synthetic")
    {
        int n = (int)Math.Round(fs * seconds);
        leads ??= Canonical;
        var channels = new List<EcgChannel>();
        for (int l = 0; l < leads.Count; l++)
        {
            var x = new double[n];
            for (int t = 0; t < n; t++)
            {
                double time = t / fs;
                x[t] = scale * (0.8 * Math.Sin(2 * Math.PI * 1.2 * time + l) + 0.2 * Math.Sin(2 * Math.PI * 7.0 * time + 0.5 * l) + 0.05 * l);
            }
            channels.Add(new EcgChannel(leads[l], x, units: units));
        }
        return new EcgRecord(name, fs, channels, sourcePath: name + ".synthetic");
    }
}
