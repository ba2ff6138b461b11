using EcgClip.Core.Native;
using EcgClip.Text.Encoders;
using EcgClip.Text.Encoders.Bert;
using EcgClip.Core.SafeTensors;
using EcgClip.Text.Tokenization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EcgClip.Text.Tests.Encoders;

public sealed class BertTextEncoderTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-bert-").FullName;

    public BertTextEncoderTests(ITestOutputHelper output)
    {
        TorchNativeLoader.EnsureLoaded();
        _output = output;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BertTextEncoder Load(TextPooling pooling = TextPooling.Cls, int frozen = 0)
    {
        var encoder = BertTextEncoder.FromPretrained(TinyBertFixture.Directory, new BertTextEncoderOptions { Pooling = pooling, FrozenLayers = frozen });
        encoder.Module.eval();
        return encoder;
    }

    [Fact]
    public void Forward_TinyBert_MatchesNumpyReference()
    {
        using var scope = NewDisposeScope();
        using var encoder = Load();
        var (ids, mask) = TinyBertFixture.Inputs();
        var (last, pooler) = encoder.Forward(ids, mask);
        double dLast = TinyBertFixture.MaxAbsDiff(last, TinyBertFixture.Flat("last_hidden_state"));
        double dPool = TinyBertFixture.MaxAbsDiff(pooler, TinyBertFixture.Flat("pooler_output"));
        _output.WriteLine($"max |diff| last_hidden_state {dLast:E2}, pooler_output {dPool:E2}");
        Assert.True(dLast < Tolerance, $"last hidden state differs by {dLast}");
        Assert.True(dPool < Tolerance, $"pooler output differs by {dPool}");
        Assert.Empty(encoder.LastLoad!.Unused);
        Assert.Equal("", encoder.LastLoad.Prefix);
    }

    [Theory]
    [InlineData(TextPooling.Cls, "cls")]
    [InlineData(TextPooling.Pooler, "pooler_output")]
    [InlineData(TextPooling.Mean, "mean")]
    public void Encode_EachPooling_MatchesNumpyReference(TextPooling pooling, string expectedName)
    {
        using var scope = NewDisposeScope();
        using var encoder = Load(pooling);
        var (ids, mask) = TinyBertFixture.Inputs();
        var pooled = encoder.Encode(ids, mask);
        Assert.Equal([3L, 32L], pooled.shape);
        double d = TinyBertFixture.MaxAbsDiff(pooled, TinyBertFixture.Flat(expectedName));
        _output.WriteLine($"{pooling}: max |diff| {d:E2}");
        Assert.True(d < Tolerance, $"{pooling} differs by {d}");
    }

    [Fact]
    public void Tokenizer_FixtureVocab_ProducesFixtureIds()
    {
        // Row 0 of the fixture is "[CLS] sinus rhythm normal ecg a e h [SEP]" in the fixture vocabulary.
        var tokenizer = ReportTokenizer.Load(TinyBertFixture.File("vocab.txt"), new TokenizerConfig { MaxLength = 16 });
        var ids = tokenizer.Encode("Sinus rhythm. Normal ECG");
        Assert.Equal(["[CLS]", "sinus", "rhythm", ".", "normal", "ecg", "[SEP]"], ids.Select(i => tokenizer.Vocabulary.Tokens[i]));
    }

    [Fact]
    public void Load_BertPrefixedNames_GivesSameOutputs()
    {
        using var scope = NewDisposeScope();
        string prefixed = Path.Combine(_dir, "prefixed.safetensors");
        using (var file = SafeTensorsFile.Open(TinyBertFixture.File("model.safetensors")))
        {
            var all = file.Tensors.Values.ToDictionary(t => "bert." + t.Name, t => (file.ReadFloat32(t.Name), t.Shape.ToArray()));
            all["cls.predictions.bias"] = (new float[100], [100L]);
            SafeTensorsWriter.WriteFloat32(prefixed, all);
        }
        using var encoder = BertTextEncoder.FromFiles(TinyBertFixture.File("config.json"), prefixed);
        encoder.Module.eval();
        Assert.Equal("bert.", encoder.LastLoad!.Prefix);
        Assert.Equal(["cls.predictions.bias"], encoder.LastLoad.Unused);
        var (ids, mask) = TinyBertFixture.Inputs();
        Assert.True(TinyBertFixture.MaxAbsDiff(encoder.Encode(ids, mask), TinyBertFixture.Flat("cls")) < Tolerance);
    }

    [Fact]
    public void Load_MissingAndMisshapedTensors_ThrowsListingNames()
    {
        string broken = Path.Combine(_dir, "broken.safetensors");
        using (var file = SafeTensorsFile.Open(TinyBertFixture.File("model.safetensors")))
        {
            var all = file.Tensors.Values
                .Where(t => t.Name is not ("encoder.layer.1.output.dense.weight" or "embeddings.LayerNorm.bias"))
                .ToDictionary(t => t.Name, t => (file.ReadFloat32(t.Name), t.Shape.ToArray()));
            all["pooler.dense.bias"] = (new float[31], [31L]);
            SafeTensorsWriter.WriteFloat32(broken, all);
        }
        var ex = Assert.Throws<InvalidDataException>(() => BertTextEncoder.FromFiles(TinyBertFixture.File("config.json"), broken));
        _output.WriteLine(ex.Message);
        Assert.Contains("encoder.layer.1.output.dense.weight", ex.Message);
        Assert.Contains("embeddings.LayerNorm.bias", ex.Message);
        Assert.Contains("pooler.dense.bias: file [31], model [32]", ex.Message);
    }

    [Fact]
    public void Load_NoPoolerWithClsPooling_IsAccepted()
    {
        string noPooler = Path.Combine(_dir, "nopooler.safetensors");
        using (var file = SafeTensorsFile.Open(TinyBertFixture.File("model.safetensors")))
        {
            SafeTensorsWriter.WriteFloat32(noPooler, file.Tensors.Values.Where(t => !t.Name.StartsWith("pooler.", StringComparison.Ordinal))
                .ToDictionary(t => t.Name, t => (file.ReadFloat32(t.Name), t.Shape.ToArray())));
        }
        using var encoder = BertTextEncoder.FromFiles(TinyBertFixture.File("config.json"), noPooler);
        Assert.True(encoder.LastLoad!.MissingPooler);
        Assert.Throws<InvalidDataException>(() => BertTextEncoder.FromFiles(TinyBertFixture.File("config.json"), noPooler, new BertTextEncoderOptions { Pooling = TextPooling.Pooler }));
    }

    [Fact]
    public void Module_ParameterNames_AreHuggingFaceNamesUnderBertPrefix()
    {
        using var encoder = Load();
        using var file = SafeTensorsFile.Open(TinyBertFixture.File("model.safetensors"));
        var names = encoder.Module.named_parameters().Select(p => p.name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(file.Tensors.Keys.Select(k => "bert." + k).OrderBy(n => n, StringComparer.Ordinal), names);
    }

    [Fact]
    public void FreezeLayers_FirstOfTwo_FreezesEmbeddingsAndLayerZeroOnly()
    {
        using var encoder = Load(frozen: 1);
        Assert.Equal(1, encoder.FrozenLayerCount);
        var trainable = encoder.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.DoesNotContain(trainable, n => n.StartsWith("bert.embeddings.", StringComparison.Ordinal) || n.StartsWith("bert.encoder.layer.0.", StringComparison.Ordinal));
        Assert.Contains("bert.encoder.layer.1.output.dense.weight", trainable);
        Assert.Contains("bert.pooler.dense.weight", trainable);
        encoder.FreezeLayers(0);
        Assert.All(encoder.Module.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Encode_ProjectionOption_HasOutputDimAndIsSeeded()
    {
        using var scope = NewDisposeScope();
        var options = new BertTextEncoderOptions { ProjectionDim = 8, Seed = 7, Pooling = TextPooling.Mean };
        using var a = BertTextEncoder.FromPretrained(TinyBertFixture.Directory, options);
        using var b = BertTextEncoder.FromPretrained(TinyBertFixture.Directory, options);
        a.Module.eval(); b.Module.eval();
        var (ids, mask) = TinyBertFixture.Inputs();
        var ea = a.Encode(ids, mask);
        Assert.Equal(8, a.OutputDim);
        Assert.Equal([3L, 8L], ea.shape);
        Assert.True(ea.allclose(b.Encode(ids, mask)));
    }

    [Fact]
    public void Encode_TooLongOrMismatchedInput_ThrowsArgumentException()
    {
        using var scope = NewDisposeScope();
        using var encoder = Load();
        Assert.Throws<ArgumentException>(() => encoder.Encode(zeros(1, 17, ScalarType.Int64), ones(1, 17, ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => encoder.Encode(zeros(1, 4, ScalarType.Int64), ones(1, 5, ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => encoder.Encode(full(1, 4, 100L, ScalarType.Int64), ones(1, 4, ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => encoder.Encode(zeros(1, 4, ScalarType.Float32), ones(1, 4, ScalarType.Int64)));
    }

    [Fact]
    public void Encode_InsideScope_LeavesNoLiveTensors()
    {
        using var encoder = Load(TextPooling.Mean);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount; // the encoder's parameters
        using (var scope = NewDisposeScope())
        {
            var (ids, mask) = TinyBertFixture.Inputs();
            _ = encoder.Encode(ids, mask);
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
