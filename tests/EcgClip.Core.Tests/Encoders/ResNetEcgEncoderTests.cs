using EcgClip.Core.Encoders;
using EcgClip.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Encoders;

public sealed class ResNetEcgEncoderTests
{
    public ResNetEcgEncoderTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    /// <summary>Parameter count of a 1-D ResNet written out from the architecture (He et al. 2016, basic blocks).</summary>
    private static long ExpectedParameters(EncoderConfig c)
    {
        long leads = c.Leads.Count, w0 = c.Widths[0], k = c.BlockKernel;
        long total = leads * w0 * c.StemKernel + 2 * w0; // stem conv (no bias) + bn
        long inCh = w0;
        for (int s = 0; s < c.Layers.Count; s++)
        {
            long w = c.Widths[s];
            for (int b = 0; b < c.Layers[s]; b++)
            {
                total += inCh * w * k + 2 * w + w * w * k + 2 * w;
                bool down = (s > 0 && b == 0) || inCh != w;
                if (down) total += inCh * w + 2 * w;
                inCh = w;
            }
        }
        if (c.EmbeddingDim > 0) total += inCh * c.EmbeddingDim + c.EmbeddingDim;
        return total;
    }

    [Theory]
    [InlineData("resnet18", 4, 12, 1000)]
    [InlineData("resnet34", 2, 12, 500)]
    public void Encode_RandomBatch_ReturnsEmbeddingAndFeatureMap(string name, int batch, int leads, int samples)
    {
        var config = new ModelCatalog().Get(name);
        using var encoder = new ResNetEcgEncoder(config);
        using var scope = NewDisposeScope();
        encoder.eval();
        var x = randn(batch, leads, samples);

        var y = encoder.Encode(x);
        var (y2, map) = encoder.EncodeWithFeatureMap(x);

        Assert.Equal([batch, config.EmbeddingDim], y.shape);
        Assert.True(y.allclose(y2), "EncodeWithFeatureMap returns the same embedding as Encode");
        // Time axis (MERL stem, no max-pool): stem stride 2, then three stride-2 stages: ceil-halving 4 times.
        Assert.False(config.StemPool);
        long t = HalvedLength(samples, 4);
        Assert.Equal([batch, 512L, t], map.shape);
        Assert.Equal(ExpectedParameters(config), encoder.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(false, 1000, 4)]
    [InlineData(true, 1000, 5)]
    [InlineData(false, 5000, 4)]
    public void EncodeWithFeatureMap_StemPool_HalvesTimeOncePerStride(bool stemPool, int samples, int halvings)
    {
        var config = Tiny with { StemPool = stemPool };
        using var encoder = new ResNetEcgEncoder(config);
        using var scope = NewDisposeScope();
        encoder.eval();
        var (_, map) = encoder.EncodeWithFeatureMap(randn(1, 12, samples));
        Assert.Equal([1L, 64, HalvedLength(samples, halvings)], map.shape);
        if (samples == 5000) Assert.Equal(313, map.shape[2]); // MERL's spacial_dim for 10 s at 500 Hz
        Assert.Equal(ExpectedParameters(config), encoder.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Create_MlpProjection_NamesFc1Fc2AndCountsParameters()
    {
        var config = Tiny with { Projection = "mlp", ProjectionHiddenDim = 24, ProjectionActivation = "relu" };
        using var encoder = new ResNetEcgEncoder(config);
        using var scope = NewDisposeScope();
        var names = encoder.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("projection.fc1.weight", names);
        Assert.Contains("projection.fc2.bias", names);
        long backbone = ExpectedParameters(config with { EmbeddingDim = 0 });
        Assert.Equal(backbone + 64 * 24 + 24 + 24 * 16 + 16, encoder.parameters().Sum(p => p.numel()));
        Assert.Equal([3L, 16], encoder.Encode(randn(3, 12, 200)).shape);
    }

    [Fact]
    public void Create_AttentionPooling_OutputsEmbeddingAndChecksLength()
    {
        var config = Tiny with { Pooling = "attention", AttentionLength = 13, AttentionHeads = 4 };
        using var encoder = new ResNetEcgEncoder(config);
        using var scope = NewDisposeScope();
        encoder.eval();
        var names = encoder.named_parameters().Select(p => p.name).ToHashSet();
        foreach (var n in new[] { "pool.downconv.weight", "pool.positional_embedding", "pool.cls_token", "pool.mhsa.in_proj_weight", "pool.mhsa.in_proj_bias", "pool.mhsa.out_proj.weight", "pool.c_proj.weight" })
            Assert.Contains(n, names);
        Assert.DoesNotContain(names, n => n.StartsWith("projection.", StringComparison.Ordinal));
        Assert.Equal([2L, 16], encoder.Encode(randn(2, 12, 200)).shape); // ceil(200 / 16) = 13 steps
        var ex = Assert.Throws<ArgumentException>(() => encoder.Encode(randn(2, 12, 300)));
        Assert.Contains("13 steps", ex.Message);
    }

    [Fact]
    public void FromJson_AttentionWithoutLength_ListsProblem()
    {
        var ex = Assert.Throws<InvalidDataException>(() => EncoderConfig.FromJson("""{"name":"x","layers":[1],"widths":[8],"pooling":"attention","embeddingDim":6,"projection":"mlp"}""", "a.json"));
        Assert.Contains("attentionLength", ex.Message);
        Assert.Contains("attentionHeads", ex.Message);
        Assert.Contains("projection must be", ex.Message);
        Assert.Throws<InvalidDataException>(() => EncoderConfig.FromJson("""{"name":"x","layers":[1],"widths":[8],"pooling":"max"}""", "b.json"));
    }

    private static readonly EncoderConfig Tiny = new ModelCatalog().Get("resnet18") with { Widths = [8, 16, 32, 64], Layers = [1, 1, 1, 1], EmbeddingDim = 16 };

    private static long HalvedLength(long samples, int times)
    {
        for (int i = 0; i < times; i++) samples = (samples + 1) / 2;
        return samples;
    }

    [Fact]
    public void Catalog_R18AndR34_DifferOnlyInLayers()
    {
        var catalog = new ModelCatalog();
        var r18 = catalog.Get("resnet18");
        var r34 = catalog.Get("resnet34");
        Assert.Equal([2, 2, 2, 2], r18.Layers);
        Assert.Equal([3, 4, 6, 3], r34.Layers);
        Assert.Equal(r18 with { Name = "x", Description = "", Layers = [] }, r34 with { Name = "x", Description = "", Layers = [] }, new LayerlessComparer());
    }

    private sealed class LayerlessComparer : IEqualityComparer<EncoderConfig>
    {
        public bool Equals(EncoderConfig? a, EncoderConfig? b) => a!.ToJson() == b!.ToJson();
        public int GetHashCode(EncoderConfig obj) => 0;
    }

    [Fact]
    public void Encode_WrongLeadCount_ThrowsNamingShape()
    {
        using var encoder = new ResNetEcgEncoder(new ModelCatalog().Get("resnet18"));
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => encoder.Encode(randn(2, 8, 1000)));
        Assert.Contains("[2, 8, 1000]", ex.Message);
    }

    [Fact]
    public void Catalog_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<UnknownBackboneException>(() => new ModelCatalog().Get("resnet50"));
        Assert.Contains("resnet18", ex.Message);
        Assert.Contains("resnet34", ex.Message);
    }

    [Fact]
    public void FromJson_InvalidConfig_ListsProblems()
    {
        var ex = Assert.Throws<InvalidDataException>(() => EncoderConfig.FromJson("""{"name":"x","layers":[2,0],"widths":[64],"stemKernel":4}""", "bad.json"));
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains("layers", ex.Message);
        Assert.Contains("stemKernel", ex.Message);
    }

    [Fact]
    public void TrainStep_InsideScope_LeavesNoLiveTensors()
    {
        using var encoder = new ResNetEcgEncoder(new ModelCatalog().Get("resnet18") with { Widths = [8, 16, 32, 64], EmbeddingDim = 16 });
        using var optimizer = optim.Adam(encoder.parameters(), 1e-3);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = encoder.Encode(randn(2, 12, 300)).pow(2).mean();
            loss.backward();
            optimizer.step();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
