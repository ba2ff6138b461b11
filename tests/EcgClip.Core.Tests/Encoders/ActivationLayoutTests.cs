using EcgClip.Core.Encoders;
using EcgClip.Core.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Encoders;

/// <summary>
/// Channels-last execution (<see cref="ActivationLayout.ChannelsLast"/>) computes what libtorch's own Conv1d and
/// BatchNorm1d modules compute (<see cref="ActivationLayout.ChannelsFirst"/>, the layout PyTorch's eager modules use),
/// in training (outputs, every gradient, running statistics) and in eval mode, with the same parameters.
/// </summary>
public sealed class ActivationLayoutTests
{
    public ActivationLayoutTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private static EncoderConfig Small => Inference.InferenceEncoderTests.Small;

    private static (ResNetEcgEncoder First, ResNetEcgEncoder Last) Pair(EncoderConfig config)
    {
        torch.random.manual_seed(11);
        var first = new ResNetEcgEncoder(config) { Layout = ActivationLayout.ChannelsFirst };
        var last = new ResNetEcgEncoder(config) { Layout = ActivationLayout.ChannelsLast };
        last.load_state_dict(first.state_dict());
        return (first, last);
    }

    private static double Relative(Tensor actual, Tensor expected) =>
        ((actual - expected).abs().max() / expected.abs().max().clamp_min(1e-12)).item<float>();

    [Theory]
    [InlineData(false, "mean")]
    [InlineData(true, "mean")]
    [InlineData(false, "attention")]
    public void Training_ChannelsLastEqualsChannelsFirst_OutputsGradientsAndRunningStatistics(bool stemPool, string pooling)
    {
        var config = Small with { StemPool = stemPool, Pooling = pooling, AttentionLength = pooling == "attention" ? 20 : 0, AttentionHeads = 2 };
        var (first, last) = Pair(config);
        using var f = first;
        using var l = last;
        using var scope = NewDisposeScope();
        f.train();
        l.train();
        for (int step = 0; step < 2; step++)
        {
            var x = randn(6, 4, 160, generator: new Generator((ulong)(20 + step))) * 2 + 0.5;
            var target = randn(6, 12, generator: new Generator((ulong)(30 + step)));
            var a = f.Encode(x);
            var b = l.Encode(x);
            Assert.True(Relative(b, a) < 1e-5, $"step {step}: output relative difference {Relative(b, a)}");
            nn.functional.mse_loss(a, target).backward();
            nn.functional.mse_loss(b, target).backward();
        }
        var gradients = l.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, p) in f.named_parameters())
        {
            double d = Relative(gradients[name], p.grad!);
            Assert.True(d < 1e-4, $"gradient of {name}: relative difference {d}");
        }
        var buffers = l.state_dict();
        foreach (var (name, expected) in f.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                Assert.Equal(expected.item<long>(), buffers[name].item<long>());
            else
                Assert.True(Relative(buffers[name], expected) < 1e-5, $"{name} differs");
        }
        Assert.Equal(2, buffers["backbone.bn1.num_batches_tracked"].item<long>());
        // The comparison can fail: another step on the channels-last side moves its running statistics away.
        l.Encode(randn(6, 4, 160) * 3);
        Assert.True(Relative(l.state_dict()["backbone.bn1.running_mean"], f.state_dict()["backbone.bn1.running_mean"]) > 1e-3);
    }

    [Fact]
    public void Eval_ChannelsLastFeatureMapIsContiguousAndEqual()
    {
        var (first, last) = Pair(Small);
        using var f = first;
        using var l = last;
        f.eval();
        l.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(3, 4, 160, generator: new Generator(5));
        var a = f.EncodeWithFeatureMap(x);
        var b = l.EncodeWithFeatureMap(x);
        Assert.Equal(a.FeatureMap.shape, b.FeatureMap.shape);
        Assert.True(b.FeatureMap.is_contiguous());
        Assert.True(Relative(b.FeatureMap, a.FeatureMap) < 1e-5);
        Assert.True(Relative(b.Embedding, a.Embedding) < 1e-5);
    }

    [Fact]
    public void Bf16Training_ChannelsLastCloseToChannelsFirst()
    {
        var (first, last) = Pair(Small);
        using var f = first;
        using var l = last;
        f.to(bfloat16).train();
        l.to(bfloat16).train();
        using var scope = NewDisposeScope();
        var x = (randn(4, 4, 160, generator: new Generator(6)) * 2).to(bfloat16);
        var a = f.Encode(x).to(float32);
        var b = l.Encode(x).to(float32);
        Assert.True(((a - b).norm() / a.norm()).item<float>() < 0.02);
    }

    [Fact]
    public void Auto_ChoosesChannelsLastOnAvx512CpusOnly()
    {
        Assert.Equal(ActivationLayouts.CpuHasAvx512Core(), ActivationLayouts.UseChannelsLast(ActivationLayout.Auto, DeviceType.CPU));
        Assert.False(ActivationLayouts.UseChannelsLast(ActivationLayout.Auto, DeviceType.CUDA));
        Assert.True(ActivationLayouts.UseChannelsLast(ActivationLayout.ChannelsLast, DeviceType.CUDA));
        Assert.False(ActivationLayouts.UseChannelsLast(ActivationLayout.ChannelsFirst, DeviceType.CPU));

        const string zen3 = "processor\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma bmi2 sha_ni\n";
        const string zen4 = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16\n";
        const string partial = "flags\t: avx512f avx512cd\n";
        Assert.False(ActivationLayouts.HasAvx512Core(CpuFlags.Parse(zen3, out _)));
        Assert.True(ActivationLayouts.HasAvx512Core(CpuFlags.Parse(zen4, out var key)));
        Assert.Equal("flags", key);
        Assert.False(ActivationLayouts.HasAvx512Core(CpuFlags.Parse(partial, out _))); // AVX-512F alone is not avx512_core
        Assert.False(ActivationLayouts.HasAvx512Core(CpuFlags.Parse("model name: x\n", out _)));
    }
}
