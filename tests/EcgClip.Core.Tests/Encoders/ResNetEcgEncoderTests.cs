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
        // Time axis: stem stride 2, max-pool stride 2, then three stride-2 stages: ceil-halving 5 times.
        long t = samples;
        for (int i = 0; i < 5; i++) t = (t + 1) / 2;
        Assert.Equal([batch, 512L, t], map.shape);
        Assert.Equal(ExpectedParameters(config), encoder.parameters().Sum(p => p.numel()));
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
