using EcgClip.Core.Encoders;
using EcgClip.Core.Performance;
using EcgClip.Core.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Precision;

public sealed class MixedPrecisionShadowTests
{
    public MixedPrecisionShadowTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private static EncoderConfig Tiny => new()
    {
        Name = "tiny", Layers = [1, 1], Widths = [8, 16], Leads = ["I", "II", "III"], EmbeddingDim = 4,
    };

    [Fact]
    public void Sync_ComputeCopyHoldsMasterWeightsInBf16()
    {
        torch.random.manual_seed(1);
        using var master = new ResNetEcgEncoder(Tiny);
        using var compute = new ResNetEcgEncoder(Tiny);
        using var shadow = new MixedPrecisionShadow(master, compute);
        using var scope = NewDisposeScope();
        foreach (var ((_, m), (_, c)) in master.named_parameters().Zip(compute.named_parameters()))
        {
            Assert.Equal(ScalarType.Float32, m.dtype);
            Assert.Equal(ScalarType.BFloat16, c.dtype);
            Assert.True(c.to(float32).equal(m.to(bfloat16).to(float32)).all().item<bool>());
        }
    }

    [Fact]
    public void CopyGradients_MasterGetsFloat32GradientCloseToFullPrecision()
    {
        torch.random.manual_seed(2);
        using var master = new ResNetEcgEncoder(Tiny);
        using var reference = new ResNetEcgEncoder(Tiny);
        reference.load_state_dict(master.state_dict());
        using var compute = new ResNetEcgEncoder(Tiny);
        using var shadow = new MixedPrecisionShadow(master, compute);
        using var scope = NewDisposeScope();
        var x = randn(4, 3, 200);
        var target = randn(4, 4);
        master.train(); compute.train(); reference.train();
        nn.functional.mse_loss(compute.forward(x.to(bfloat16)).to(float32), target).backward();
        shadow.CopyGradientsToMaster();
        nn.functional.mse_loss(reference.forward(x), target).backward();
        double num = 0, den = 0, dot = 0, mm = 0;
        foreach (var ((_, m), (_, r)) in master.named_parameters().Zip(reference.named_parameters()))
        {
            Assert.Equal(ScalarType.Float32, m.grad!.dtype);
            num += (m.grad - r.grad!).pow(2).sum().item<float>();
            den += r.grad!.pow(2).sum().item<float>();
            dot += (m.grad * r.grad!).sum().item<float>();
            mm += m.grad.pow(2).sum().item<float>();
        }
        // bf16 keeps 8 mantissa bits, and the error compounds through convolutions and BatchNorm (batch of 4 here), so the
        // bound is loose: it catches gradients that were not copied (relative error 1) or paired with the wrong tensors
        // (cosine near 0), not the rounding itself. Measured here: relative error 0.097.
        double relative = Math.Sqrt(num / den), cosine = dot / Math.Sqrt(mm * den);
        Assert.True(relative < 0.25, $"relative gradient error of bf16 vs float32: {relative}");
        Assert.True(cosine > 0.97, $"cosine of bf16 and float32 gradients: {cosine}");
        Assert.True(relative > 0, "bf16 gradients should differ from float32 ones (else the bf16 path did not run)");
        Assert.All(compute.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    [Fact]
    public void Session_Bf16TrainingSteps_LossFallsAndMasterStaysFloat32()
    {
        var options = new ThroughputOptions { Encoder = Tiny, BatchSize = 4, Length = 200, Threads = 1, Precision = ComputePrecision.BFloat16, Seed = 3 };
        using var session = new ThroughputSession(options, train: true);
        double first = session.Step();
        double last = first;
        for (int i = 0; i < 30; i++) last = session.Step();
        Assert.True(double.IsFinite(last));
        Assert.True(last < first * 0.8, $"loss {first} -> {last}");
    }

    [Fact]
    public void Session_Step_LeavesNoLiveTensors()
    {
        var options = new ThroughputOptions { Encoder = Tiny, BatchSize = 2, Length = 100, Threads = 1, Precision = ComputePrecision.BFloat16 };
        using var session = new ThroughputSession(options, train: true);
        session.Step(); // optimiser state is created on the first step
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        session.Step();
        session.Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Options_Invalid_ListsEveryProblem()
    {
        var options = new ThroughputOptions { Encoder = Tiny, BatchSize = 0, Threads = 0, Steps = 0 };
        var ex = Assert.Throws<ArgumentException>(() => EncoderThroughput.Train(options));
        Assert.Contains("batch size", ex.Message);
        Assert.Contains("threads", ex.Message);
        Assert.Contains("steps", ex.Message);
    }

    [Theory]
    [InlineData("bf16", ComputePrecision.BFloat16)]
    [InlineData("BFloat16", ComputePrecision.BFloat16)]
    [InlineData("float32", ComputePrecision.Float32)]
    [InlineData("fp32", ComputePrecision.Float32)]
    public void TryParse_KnownNames(string text, ComputePrecision expected)
    {
        Assert.True(ComputePrecisions.TryParse(text, out var p));
        Assert.Equal(expected, p);
        Assert.False(ComputePrecisions.TryParse("fp16", out _));
    }
}
