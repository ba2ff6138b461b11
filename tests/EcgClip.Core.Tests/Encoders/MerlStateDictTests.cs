using EcgClip.Core.Encoders;
using EcgClip.Core.Native;
using EcgClip.Core.SafeTensors;
using EcgClip.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Encoders;

/// <summary>
/// A MERL-style ResNet1d + attention head written by PyTorch 1.13 (scripts/oracles/resnet1d.py → Fixtures/merl_resnet1d*.safetensors)
/// loads by the documented name mapping and reproduces PyTorch's eval-mode outputs within 1e-5.
/// </summary>
public sealed class MerlStateDictTests
{
    private const double Tolerance = 1e-5;
    private static readonly string Weights = TestPaths.Repo("tests", "EcgClip.Core.Tests", "Fixtures", "merl_resnet1d.safetensors");
    private static readonly string Io = TestPaths.Repo("tests", "EcgClip.Core.Tests", "Fixtures", "merl_resnet1d_io.safetensors");

    public MerlStateDictTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private static EncoderConfig Narrow(string pooling, int embeddingDim) => new ModelCatalog().Get("resnet18") with
    {
        Widths = [8, 16, 32, 64],
        Pooling = pooling,
        EmbeddingDim = embeddingDim,
        AttentionLength = pooling == "attention" ? 13 : 0,
        AttentionHeads = 4,
    };

    [Theory]
    [InlineData(ActivationLayout.ChannelsFirst)]
    [InlineData(ActivationLayout.ChannelsLast)]
    public void Load_MerlFixture_ReproducesTorchFeatureMapAndAttentionPool(ActivationLayout layout)
    {
        using var encoder = new ResNetEcgEncoder(Narrow("attention", 16)) { Layout = layout };
        var report = MerlStateDict.Load(encoder, Weights);
        encoder.eval();
        using var io = SafeTensorsFile.Open(Io);
        using var scope = NewDisposeScope();
        var (embedding, map) = encoder.EncodeWithFeatureMap(io.ReadTensor("input"));

        AssertClose(io.ReadTensor("feature_map"), map, "feature map");
        AssertClose(io.ReadTensor("attention_pool"), embedding, "attention pool");
        Assert.Equal(["ecg_encoder.linear.bias", "ecg_encoder.linear.weight"], report.Ignored);
        Assert.Empty(report.NotInFile);
        Assert.Equal(encoder.state_dict().Count, report.Loaded.Count);
        Assert.Equal(7, encoder.state_dict()["backbone.bn1.num_batches_tracked"].item<long>()); // I64 entries load too
    }

    [Theory]
    [InlineData(ActivationLayout.ChannelsFirst)]
    [InlineData(ActivationLayout.ChannelsLast)]
    public void Load_MeanPoolingWithIgnoredHead_ReproducesTorchMeanPool(ActivationLayout layout)
    {
        using var encoder = new ResNetEcgEncoder(Narrow("mean", 0)) { Layout = layout };
        var report = MerlStateDict.Load(encoder, Weights, ["downconv.", "att_pool_head."]);
        encoder.eval();
        using var io = SafeTensorsFile.Open(Io);
        using var scope = NewDisposeScope();
        AssertClose(io.ReadTensor("mean_pool"), encoder.Encode(io.ReadTensor("input")), "mean pool");
        Assert.Contains("downconv.weight", report.Ignored);
        Assert.Contains("backbone.stages.3.0.downsample.1.running_var", report.Loaded);
    }

    [Fact]
    public void Load_WrongArchitecture_ListsMissingUnexpectedAndMisShapedTogetherAndLoadsNothing()
    {
        // Stage 3 has a third block (missing), the last stage is 48 wide (mis-shaped), mean pooling has no pool.* (unexpected).
        using var encoder = new ResNetEcgEncoder(Narrow("mean", 0) with { Layers = [2, 2, 3, 2], Widths = [8, 16, 32, 48] });
        using var scope = NewDisposeScope();
        var before = encoder.state_dict()["backbone.conv1.weight"].clone();

        var ex = Assert.Throws<StateDictMismatchException>(() => MerlStateDict.Load(encoder, Weights));

        Assert.Contains("backbone.stages.2.2.conv1.weight", ex.Missing);
        Assert.Contains(ex.Unexpected, u => u.StartsWith("att_pool_head.cls_token", StringComparison.Ordinal));
        Assert.Contains(ex.Mismatched, m => m.StartsWith("ecg_encoder.layer4.0.conv1.weight → backbone.stages.3.0.conv1.weight: file [64, 32, 3] vs model [48, 32, 3]", StringComparison.Ordinal));
        Assert.Contains("merl_resnet1d.safetensors", ex.Message);
        Assert.Contains("missing", ex.Message);
        Assert.Contains("unexpected", ex.Message);
        Assert.Contains("mis-shaped", ex.Message);
        Assert.True(before.eq(encoder.state_dict()["backbone.conv1.weight"]).all().item<bool>(), "nothing is copied when the check fails");
    }

    [Fact]
    public void Load_ExtraTensor_IsUnexpected()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ecgclip-merl-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensorsWriter.WriteFloat32(path, new Dictionary<string, (float[], long[])> { ["proj_t.0.weight"] = (new float[4], [2, 2]) });
            using var encoder = new ResNetEcgEncoder(Narrow("mean", 0));
            var ex = Assert.Throws<StateDictMismatchException>(() => MerlStateDict.Load(encoder, path));
            Assert.Equal(["proj_t.0.weight"], ex.Unexpected);
            Assert.Contains("backbone.conv1.weight", ex.Missing);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("conv1.weight", "backbone.conv1.weight")]
    [InlineData("ecg_encoder.bn1.running_var", "backbone.bn1.running_var")]
    [InlineData("module.ecg_encoder.layer1.1.conv2.weight", "backbone.stages.0.1.conv2.weight")]
    [InlineData("layer4.0.shortcut.1.num_batches_tracked", "backbone.stages.3.0.downsample.1.num_batches_tracked")]
    [InlineData("layer12.3.bn2.bias", "backbone.stages.11.3.bn2.bias")]
    [InlineData("downconv.bias", "pool.downconv.bias")]
    [InlineData("att_pool_head.mhsa.out_proj.weight", "pool.mhsa.out_proj.weight")]
    [InlineData("linear.weight", null)]
    [InlineData("lm_model.embeddings.word_embeddings.weight", null)]
    public void MapName_MerlNames_FollowTheDocumentedTable(string merl, string? expected) => Assert.Equal(expected, MerlStateDict.MapName(merl));

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= Tolerance, $"{what}: max |diff| {diff:E2} > {Tolerance:E0}");
    }
}
