using EcgClip.Eval.Prediction;
using EcgClip.Testing;
using EcgClip.Signal.Formats;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Prediction;

public sealed class EcgClipPredictorTests
{
    public EcgClipPredictorTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Predict_EqualsEncoderThenHeadsAveragedOverWindows()
    {
        using var encoder = PredictionTestModels.TinyEncoder();
        using var heads = PredictionTestModels.Heads(encoder.OutputDim);
        var preparer = new EcgInputPreparer(PredictionTestModels.Input());
        using var predictor = new EcgClipPredictor(encoder, preparer, heads) { BatchSize = 2 }; // 3 windows → two batches
        var record = PredictionTestModels.Record(100, 25);

        var prediction = predictor.Predict(record);

        var prepared = preparer.Prepare(record);
        Assert.Equal(3, prediction.Windows);
        using (no_grad())
        {
            using var x = tensor(prepared.Data, [prepared.Windows, 12, 1000]);
            using var emb = encoder.Encode(x);
            for (int task = 0; task < heads.Count; task++)
            {
                using var expected = heads[task].Head.Predict(emb).mean([0]).to(float64);
                var want = expected.data<double>().ToArray();
                var got = prediction.Tasks[task].Outputs.Select(o => o.Value).ToArray();
                Assert.Equal(heads[task].Spec.Outputs, prediction.Tasks[task].Outputs.Select(o => o.Key));
                for (int o = 0; o < want.Length; o++) Assert.Equal(want[o], got[o], 5);
            }
        }
        Assert.All(prediction.Tasks[0].Outputs, o => Assert.InRange(o.Value, 0, 1));
    }

    [Fact]
    public void PredictFiles_ScoresEveryReadableFormat_AndReportsTheBadFileWithoutStopping()
    {
        using var encoder = PredictionTestModels.TinyEncoder();
        using var heads = PredictionTestModels.Heads(encoder.OutputDim);
        using var predictor = new EcgClipPredictor(encoder, new EcgInputPreparer(PredictionTestModels.Input()), heads);
        string bad = Path.Combine(Path.GetTempPath(), $"ecgclip-bad-{Guid.NewGuid():N}.xml");
        File.WriteAllText(bad, "<not an ecg/>");
        try
        {
            string[] files =
            [
                TestPaths.PtbXl("records100", "00000", "00001_lr.hea"),
                bad,
                TestPaths.Fixture("philips_xml_sierraecg", "fixtures", "deid_3.xml"),
                TestPaths.Fixture("ecgtoolkit_examples", "Example.xml"),
            ];
            var results = predictor.PredictFiles(files);
            Assert.Equal(files.Length, results.Count);
            Assert.NotNull(results[1].Error);
            Assert.Null(results[1].Prediction);
            foreach (int i in new[] { 0, 2, 3 })
            {
                Assert.True(results[i].Error is null, $"{files[i]}: {results[i].Error}");
                Assert.All(results[i].Prediction!.Tasks.SelectMany(t => t.Outputs), o => Assert.True(double.IsFinite(o.Value)));
                Assert.Equal(["superdiagnostic", "age"], results[i].Prediction!.Tasks.Select(t => t.Task));
            }
        }
        finally { File.Delete(bad); }
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void MuseXmlAndItsWfdbConversion_GiveTheSameProbabilities()
    {
        // The EGM conversion's header says 200/mV but its samples are µV (see SOURCE.md): fix the gain in a copy.
        string dir = Path.Combine(Path.GetTempPath(), $"ecgclip-egm-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(TestPaths.Shared("ge_muse_xml_egm", "muse-sinus.dat"), Path.Combine(dir, "muse-sinus.dat"));
            File.WriteAllText(Path.Combine(dir, "muse-sinus.hea"), File.ReadAllText(TestPaths.Shared("ge_muse_xml_egm", "muse-sinus.hea")).Replace("200(0)/mV", "1000(0)/mV"));
            using var encoder = PredictionTestModels.TinyEncoder();
            using var heads = PredictionTestModels.Heads(encoder.OutputDim);
            using var predictor = new EcgClipPredictor(encoder, new EcgInputPreparer(PredictionTestModels.Input()), heads);
            var museRecord = EcgReader.Read(TestPaths.Shared("ge_muse_xml_egm", "muse-sinus.xml"));
            var wfdbRecord = EcgReader.Read(Path.Combine(dir, "muse-sinus.hea"));
            // With the gain corrected the two records agree to the conversion's rounding (0.5 µV), in mV, lead by lead.
            var a12 = EcgClip.Signal.Records.EcgLeadLayout.ToCanonical12(museRecord);
            var b12 = EcgClip.Signal.Records.EcgLeadLayout.ToCanonical12(wfdbRecord);
            for (int l = 0; l < 12; l++)
                for (int t = 0; t < a12.SampleCount; t += 7) Assert.True(Math.Abs(a12.Channels[l].Physical[t] - b12.Channels[l].Physical[t]) <= 5e-4, $"lead {l} sample {t}");
            var muse = predictor.Predict(museRecord);
            var wfdb = predictor.Predict(wfdbRecord);
            var a = muse.Tasks.SelectMany(t => t.Outputs).Select(o => o.Value).ToArray();
            var b = wfdb.Tasks.SelectMany(t => t.Outputs).Select(o => o.Value).ToArray();
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-3, $"output {i}: MUSE {a[i]} vs WFDB {b[i]}");
            // The conversion only rounded the MUSE values to whole µV, so after the preparer's 1 µV rounding the model
            // input is the same, bit for bit (without it a pretrained head moved by 1.07e-3: src/EcgClip.Eval/Prediction/README.md).
            var preparer = new EcgInputPreparer(PredictionTestModels.Input());
            Assert.Equal(preparer.Prepare(museRecord).Data, preparer.Prepare(wfdbRecord).Data);
            Assert.Equal(a, b);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
