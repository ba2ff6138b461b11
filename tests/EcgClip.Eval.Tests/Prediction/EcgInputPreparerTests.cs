using EcgClip.Eval.Prediction;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Records;

namespace EcgClip.Eval.Tests.Prediction;

public sealed class EcgInputPreparerTests
{
    [Fact]
    public void Record_AtTheModelsRateAndLength_GivesOneWindowEqualToThePipelineOutput()
    {
        var options = PredictionTestModels.Input() with { InputResolutionMv = 0 }; // the pipeline alone
        var record = PredictionTestModels.Record(100, 10);
        var prepared = new EcgInputPreparer(options).Prepare(record);

        Assert.Equal((1, 12, 1000), (prepared.Windows, prepared.Leads, prepared.Samples));
        var expected = new PreprocessingPipeline(options.Preprocessing).Process(record);
        for (int l = 0; l < 12; l++)
            for (int t = 0; t < 1000; t += 37)
                Assert.Equal(expected[l][t], prepared.Data[l * 1000 + t], 4);
        Assert.DoesNotContain(prepared.Steps, s => s.Contains("resampled") || s.Contains("padded") || s.Contains("windows"));
    }

    [Fact]
    public void Record_At500Hz_IsResampledToTheModelsRateAndSaysSo()
    {
        var prepared = new EcgInputPreparer(PredictionTestModels.Input()).Prepare(PredictionTestModels.Record(500, 10));
        Assert.Equal(1, prepared.Windows);
        Assert.Equal(1000, prepared.Samples);
        Assert.Contains(prepared.Steps, s => s.Contains("resampled 500 Hz → 100 Hz"));
    }

    [Fact]
    public void Resampled500HzRecord_MatchesTheSameSignalSampledAt100Hz()
    {
        // Slow content (≤ 7 Hz) survives decimation: the 500 Hz record resampled for a 100 Hz model must match the 100 Hz
        // record (no filters here: their edge transients would differ between the two, as they do for any resampled input).
        var options = PredictionTestModels.Input() with { Preprocessing = new PreprocessingConfig { SamplingRateHz = 100 } };
        var at100 = new EcgInputPreparer(options).Prepare(PredictionTestModels.Record(100, 10));
        var at500 = new EcgInputPreparer(options).Prepare(PredictionTestModels.Record(500, 10));
        double worst = 0; int where = 0;
        for (int l = 0; l < 12; l++)
            for (int t = 50; t < 950; t++) // away from the edges, where resample_poly pads with zeros
            {
                double d = Math.Abs(at100.Data[l * 1000 + t] - at500.Data[l * 1000 + t]);
                if (d > worst) (worst, where) = (d, l * 1000 + t);
            }
        Assert.True(worst < 0.005, $"max |diff| {worst} mV at lead {where / 1000} sample {where % 1000}: {at100.Data[where]} vs {at500.Data[where]}");
    }

    [Fact]
    public void EightLeadRecord_GetsItsLimbLeadsDerived()
    {
        string[] eight = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"];
        var options = PredictionTestModels.Input() with { Preprocessing = new PreprocessingConfig { SamplingRateHz = 100 }, InputResolutionMv = 0 };
        var record = PredictionTestModels.Record(100, 10, eight);
        var prepared = new EcgInputPreparer(options).Prepare(record);
        Assert.Contains(prepared.Steps, s => s.Contains("III, aVR, aVL, aVF derived from I and II"));
        for (int t = 0; t < 1000; t += 11)
            Assert.Equal(prepared.Data[1000 + t] - prepared.Data[t], prepared.Data[2 * 1000 + t], 5); // III = II − I
        Assert.Equal(record.Channels[2].Physical[123], prepared.Data[6 * 1000 + 123], 5);          // V1 in place
    }

    [Fact]
    public void MicrovoltRecord_IsConvertedToMillivolts()
    {
        var options = PredictionTestModels.Input() with { Preprocessing = new PreprocessingConfig { SamplingRateHz = 100 } };
        var mv = new EcgInputPreparer(options).Prepare(PredictionTestModels.Record(100, 10));
        var uv = new EcgInputPreparer(options).Prepare(PredictionTestModels.Record(100, 10, units: "uV", scale: 1000));
        Assert.Contains(uv.Steps, s => s.Contains("converted to mV"));
        for (int i = 0; i < mv.Data.Length; i += 97) Assert.Equal(mv.Data[i], uv.Data[i], 4);
    }

    [Fact]
    public void LongRecord_IsCoveredByEvenlySpacedWindows()
    {
        var options = PredictionTestModels.Input() with { Preprocessing = new PreprocessingConfig { SamplingRateHz = 100 }, InputResolutionMv = 0 };
        var record = PredictionTestModels.Record(100, 25);
        var prepared = new EcgInputPreparer(options).Prepare(record);
        Assert.Equal(3, prepared.Windows);
        Assert.Contains(prepared.Steps, s => s.Contains("3 windows") && s.Contains("0, 7.5, 15 s"));
        // Window 2 starts at 15 s and ends at the record's last sample.
        Assert.Equal(record.Channels[0].Physical[2499], prepared.Data[(2 * 12 + 0) * 1000 + 999], 5);
        Assert.Equal(record.Channels[0].Physical[750], prepared.Data[(1 * 12 + 0) * 1000 + 0], 5);
    }

    [Fact]
    public void SlightlyShortRecord_IsPaddedAndSaysSo_TooShortOneIsRefusedNamingTheFile()
    {
        var options = PredictionTestModels.Input() with { Preprocessing = new PreprocessingConfig { SamplingRateHz = 100 } };
        var preparer = new EcgInputPreparer(options);
        var padded = preparer.Prepare(PredictionTestModels.Record(100, 8));
        Assert.Contains(padded.Steps, s => s.Contains("zero-padded at the end by 2 s"));
        Assert.Equal(0f, padded.Data[999]);

        var ex = Assert.Throws<EcgInputException>(() => preparer.Prepare(PredictionTestModels.Record(100, 3, name: "short-one")));
        Assert.Equal("short-one.synthetic", ex.File);
        Assert.Contains("too short", ex.Reason);
    }

    [Fact]
    public void MissingPrecordialLead_IsRefusedNamingTheLead()
    {
        string[] leads = ["I", "II", "III", "aVR", "aVL", "aVF", "V2", "V3", "V4", "V5", "V6"];
        var ex = Assert.Throws<EcgInputException>(() => new EcgInputPreparer(PredictionTestModels.Input()).Prepare(PredictionTestModels.Record(100, 10, leads, name: "no-v1")));
        Assert.Contains("V1", ex.Reason);
        Assert.Contains("no-v1", ex.Message);
    }

    [Fact]
    public void UnknownUnits_AreRefused()
    {
        var ex = Assert.Throws<EcgInputException>(() => new EcgInputPreparer(PredictionTestModels.Input()).Prepare(PredictionTestModels.Record(100, 10, units: "furlongs")));
        Assert.Contains("furlongs", ex.Reason);
    }

    [Fact]
    public void MissingSamples_AreInterpolatedAndCounted()
    {
        var record = PredictionTestModels.Record(100, 10);
        record.Channels[3].Physical[500] = double.NaN;
        record.Channels[3].Physical[501] = double.NaN;
        var prepared = new EcgInputPreparer(PredictionTestModels.Input()).Prepare(record);
        Assert.Contains(prepared.Steps, s => s.StartsWith("2 missing"));
        Assert.All(prepared.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ExportRoundedToWholeMicrovolts_GivesExactlyTheSameInputAsTheOriginal()
    {
        // A GE MUSE file stores 4.88 µV steps; a converter writing WFDB at 1000/mV rounds them to whole µV (as the EGM
        // pair in the shared data does). After the preparer's 1 µV rounding both must be the same model input, bit for bit.
        var original = PredictionTestModels.Record(500, 10);
        foreach (var c in original.Channels)
            for (int t = 0; t < c.Physical.Length; t++) c.Physical[t] = Math.Round(c.Physical[t] / 0.00488) * 0.00488;
        var converted = PredictionTestModels.Record(500, 10);
        for (int l = 0; l < 12; l++)
            for (int t = 0; t < 5000; t++) converted.Channels[l].Physical[t] = Math.Round(original.Channels[l].Physical[t] * 1000) / 1000;
        double largestChange = Enumerable.Range(0, 12).Max(l => Enumerable.Range(0, 5000)
            .Max(t => Math.Abs(converted.Channels[l].Physical[t] - original.Channels[l].Physical[t])));
        Assert.InRange(largestChange, 1e-4, 5e-4); // the converter really changed the samples, by at most 0.5 µV

        var a = new EcgInputPreparer(PredictionTestModels.Input()).Prepare(original);
        var b = new EcgInputPreparer(PredictionTestModels.Input()).Prepare(converted);
        Assert.Equal(a.Data, b.Data);
        Assert.Contains(a.Steps, s => s == "amplitudes rounded to 1 µV");

        var off = PredictionTestModels.Input() with { InputResolutionMv = 0 };
        var a0 = new EcgInputPreparer(off).Prepare(original);
        var b0 = new EcgInputPreparer(off).Prepare(converted);
        Assert.NotEqual(a0.Data, b0.Data); // without the rounding the two exports differ
        Assert.DoesNotContain(a0.Steps, s => s.StartsWith("amplitudes rounded"));
    }

    [Fact]
    public void InputRounding_MovesNoSampleByMoreThanHalfAStep()
    {
        var record = PredictionTestModels.Record(100, 10);
        var options = PredictionTestModels.Input() with { Preprocessing = new PreprocessingConfig { SamplingRateHz = 100 }, InputResolutionMv = 0.005 };
        var prepared = new EcgInputPreparer(options).Prepare(record);
        for (int l = 0; l < 12; l++)
            for (int t = 0; t < 1000; t++)
            {
                double v = prepared.Data[l * 1000 + t], x = record.Channels[l].Physical[t];
                Assert.True(Math.Abs(v - x) <= 0.0025 + 1e-7, $"lead {l} sample {t}: {v} from {x}");
                Assert.Equal(0, Math.Abs(v / 0.005 - Math.Round(v / 0.005)), 3); // on the 5 µV grid
            }
        Assert.Contains(prepared.Steps, s => s == "amplitudes rounded to 5 µV");
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void InvalidInputResolution_IsRefused(double resolution) =>
        Assert.Throws<ArgumentException>(() => new EcgInputPreparer(PredictionTestModels.Input() with { InputResolutionMv = resolution }));
}
