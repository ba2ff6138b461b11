using EcgClip.Core.Native;
using EcgClip.Text.Encoders;
using EcgClip.Text.Encoders.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Text.Tests.Encoders;

public sealed class TransformerTextEncoderTests
{
    public TransformerTextEncoderTests() => TorchNativeLoader.EnsureLoaded();

    private static TransformerTextEncoder Tiny(TextPooling pooling = TextPooling.Mean, long seed = 1)
    {
        var encoder = new TransformerTextEncoder(TransformerTextEncoderConfig.Tiny(50) with { Pooling = pooling, Seed = seed });
        encoder.Module.eval();
        return encoder;
    }

    [Fact]
    public void Encode_Batch_ReturnsBatchByOutputDim()
    {
        using var scope = NewDisposeScope();
        using var encoder = Tiny();
        var ids = tensor(new long[] { 2, 7, 8, 3, 2, 9, 3, 0 }, [2, 4]);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 4]);
        var e = encoder.Encode(ids, mask);
        Assert.Equal([2L, 32L], e.shape);
        Assert.Equal(32, encoder.OutputDim);
        Assert.False(e.isnan().any().item<bool>());
    }

    [Theory]
    [InlineData(TextPooling.Mean)]
    [InlineData(TextPooling.Cls)]
    public void Encode_ExtraPadding_DoesNotChangeEmbedding(TextPooling pooling)
    {
        using var scope = NewDisposeScope();
        using var encoder = Tiny(pooling);
        var shortIds = tensor(new long[] { 2, 11, 12, 13, 3 }, [1, 5]);
        var longIds = tensor(new long[] { 2, 11, 12, 13, 3, 0, 0, 0, 0 }, [1, 9]);
        var a = encoder.Encode(shortIds, ones_like(shortIds));
        var b = encoder.Encode(longIds, tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 0, 0 }, [1, 9]));
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), $"max diff {(a - b).abs().max().item<float>()}");
    }

    [Fact]
    public void Constructor_SameSeed_SameWeights_DifferentSeed_Differs()
    {
        using var scope = NewDisposeScope();
        using var a = Tiny(seed: 5);
        using var b = Tiny(seed: 5);
        using var c = Tiny(seed: 6);
        var ids = tensor(new long[] { 2, 4, 5, 3 }, [1, 4]);
        var mask = ones_like(ids);
        Assert.True(a.Encode(ids, mask).eq(b.Encode(ids, mask)).all().item<bool>());
        Assert.False(a.Encode(ids, mask).allclose(c.Encode(ids, mask)));
    }

    [Fact]
    public void TrainingStep_SimpleObjective_ReducesLoss()
    {
        using var encoder = new TransformerTextEncoder(TransformerTextEncoderConfig.Tiny(50) with { Dropout = 0, Seed = 3 });
        using var optimizer = optim.Adam(encoder.Module.parameters(), 1e-2);
        using var ids = tensor(new long[] { 2, 7, 8, 3, 2, 9, 10, 3 }, [2, 4]);
        using var mask = ones_like(ids);
        using var target = eye(2, 32);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(encoder.Encode(ids, mask), target);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.5, $"loss {first} -> {last}");
    }

    [Fact]
    public void Encode_InsideScope_LeavesNoLiveTensors()
    {
        using var encoder = Tiny();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        {
            var ids = tensor(new long[] { 2, 7, 3 }, [1, 3]);
            _ = encoder.Encode(ids, ones_like(ids));
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Module_StateDictNames_ArePinned()
    {
        // Field names are the checkpoint format: renaming one breaks saved towers.
        using var encoder = new TransformerTextEncoder(TransformerTextEncoderConfig.Tiny(50) with { Layers = 1 });
        string[] expected =
        [
            "token_embedding.weight", "position_embedding.weight",
            "blocks.0.ln_1.weight", "blocks.0.ln_1.bias", "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias",
            "blocks.0.attn.out_proj.weight", "blocks.0.attn.out_proj.bias", "blocks.0.ln_2.weight", "blocks.0.ln_2.bias",
            "blocks.0.fc.weight", "blocks.0.fc.bias", "blocks.0.proj.weight", "blocks.0.proj.bias",
            "ln_final.weight", "ln_final.bias", "projection.weight",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), encoder.Module.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SaveLoad_StateDict_RoundTripsOutputs()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"ecgclip-transformer-{Guid.NewGuid():N}.dat");
        try
        {
            using var a = Tiny(seed: 11);
            a.Module.save(path);
            using var b = Tiny(seed: 12);
            b.Module.load(path, strict: true);
            var ids = tensor(new long[] { 2, 4, 5, 3 }, [1, 4]);
            Assert.True(a.Encode(ids, ones_like(ids)).eq(b.Encode(ids, ones_like(ids))).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Config_JsonRoundTrip_IsEqual()
    {
        var config = TransformerTextEncoderConfig.Tiny(123) with { Pooling = TextPooling.Cls, Seed = 9 };
        Assert.Equal(config, TransformerTextEncoderConfig.FromJson(config.ToJson()));
        Assert.Contains("\"pooling\": \"Cls\"", config.ToJson());
    }

    [Fact]
    public void Constructor_InvalidConfig_ThrowsNamingField()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TransformerTextEncoder(TransformerTextEncoderConfig.Tiny(10) with { Heads = 3 }));
        Assert.Contains("Heads", ex.Message);
        Assert.Throws<ArgumentException>(() => new TransformerTextEncoder(TransformerTextEncoderConfig.Tiny(10) with { Pooling = TextPooling.Pooler }));
    }

    [Fact]
    public void Encode_TooManyTokens_ThrowsArgumentException()
    {
        using var scope = NewDisposeScope();
        using var encoder = Tiny();
        Assert.Throws<ArgumentException>(() => encoder.Encode(zeros(1, 65, ScalarType.Int64), ones(1, 65, ScalarType.Int64)));
    }
}
