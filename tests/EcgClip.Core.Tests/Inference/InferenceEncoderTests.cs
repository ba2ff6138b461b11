using EcgClip.Core.Encoders;
using EcgClip.Core.Inference;
using EcgClip.Core.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Inference;

public sealed class InferenceEncoderTests
{
    public InferenceEncoderTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    /// <summary>A small 4-lead, 3-stage encoder for quick exact comparisons (also used by the layout tests).</summary>
    internal static EncoderConfig Small => new()
    {
        Name = "small", Layers = [2, 1, 1], Widths = [8, 16, 32], Leads = ["I", "II", "III", "V1"], EmbeddingDim = 12,
    };

    /// <summary>A trained-looking encoder: batch norms with non-trivial running statistics and affine weights.</summary>
    private static ResNetEcgEncoder Trained(EncoderConfig config, long seed)
    {
        torch.random.manual_seed(seed);
        var encoder = new ResNetEcgEncoder(config);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (name, p) in encoder.named_parameters())
                if (name.Contains("bn", StringComparison.Ordinal) || name.Contains("downsample.1", StringComparison.Ordinal))
                    p.copy_(name.EndsWith("weight", StringComparison.Ordinal) ? rand_like(p) + 0.5 : randn_like(p) * 0.2);
            encoder.train();
            for (int i = 0; i < 3; i++) encoder.forward(randn(6, config.Leads.Count, 160) * 2 + 0.3);
        }
        encoder.eval();
        return encoder;
    }

    [Theory]
    [InlineData("mean", "linear", false, ActivationLayout.ChannelsFirst)]
    [InlineData("mean", "mlp", false, ActivationLayout.ChannelsFirst)]
    [InlineData("mean", "linear", true, ActivationLayout.ChannelsFirst)]
    [InlineData("attention", "linear", false, ActivationLayout.ChannelsFirst)]
    [InlineData("mean", "linear", false, ActivationLayout.ChannelsLast)]
    [InlineData("mean", "linear", true, ActivationLayout.ChannelsLast)]
    [InlineData("attention", "linear", false, ActivationLayout.ChannelsLast)]
    public void Create_Float32_EqualsTrainedEvalOutputWithin1e5(string pooling, string projection, bool stemPool, ActivationLayout layout)
    {
        var config = Small with { Pooling = pooling, Projection = projection, StemPool = stemPool, AttentionLength = pooling == "attention" ? (stemPool ? 10 : 20) : 0, AttentionHeads = 2 };
        using var trained = Trained(config, 3);
        trained.Layout = layout; // the inference form takes the layout over; the expected output is the plain Conv1d path
        using var fast = InferenceEncoder.Create(trained);
        trained.Layout = ActivationLayout.ChannelsFirst;
        using var scope = NewDisposeScope();
        var x = randn(5, 4, 160, generator: new Generator(7));
        Tensor expected;
        using (no_grad()) expected = trained.Encode(x);
        var actual = fast.Encode(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(ScalarType.Float32, actual.dtype);
        double diff = (actual - expected).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"max |folded - unfolded| = {diff}");
        // The check must be able to fail: the training-mode output (batch statistics) is far from the eval output.
        trained.train();
        using (no_grad()) Assert.True((trained.Encode(x) - expected).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Create_Bf16_CloseToFloat32WithinBf16Precision()
    {
        using var trained = Trained(Small, 4);
        using var fast = InferenceEncoder.Create(trained, ComputePrecision.BFloat16);
        using var scope = NewDisposeScope();
        var x = randn(4, 4, 160, generator: new Generator(8));
        Tensor expected;
        using (no_grad()) expected = trained.Encode(x);
        var actual = fast.Encode(x);
        Assert.Equal(ScalarType.Float32, actual.dtype);
        double relative = ((actual - expected).norm() / expected.norm()).item<float>();
        Assert.True(relative < 0.03, $"relative error {relative}");
        Assert.True(relative > 0, "bf16 path computed in float32");
    }

    [Theory]
    [InlineData(ActivationLayout.ChannelsFirst)]
    [InlineData(ActivationLayout.ChannelsLast)]
    public void Bf16Emulated_ComputesWhatLibtorchsBf16KernelsCompute(ActivationLayout layout)
    {
        // Oracle: libtorch's own bf16 kernels (native or converted, on any CPU). The float32-emulated path must agree with
        // them far more closely than either agrees with float32, and its feature map must hold bf16 values only.
        using var trained = Trained(Small, 5);
        trained.Layout = layout;
        using var native = InferenceEncoder.Create(trained, ComputePrecision.BFloat16, Bf16Kernels.Native);
        using var emulated = InferenceEncoder.Create(trained, ComputePrecision.BFloat16, Bf16Kernels.Float32Emulated);
        using var scope = NewDisposeScope();
        var x = randn(4, 4, 160, generator: new Generator(9)) * 1.5;
        Tensor f32;
        using (no_grad()) f32 = trained.Encode(x);
        var a = native.Encode(x);
        var b = emulated.Encode(x);
        double bf16VsF32 = ((a - f32).norm() / f32.norm()).item<float>();
        double emulatedVsBf16 = ((b - a).norm() / a.norm()).item<float>();
        Assert.True(bf16VsF32 > 1e-3, $"the native bf16 path is not bf16 (relative {bf16VsF32})");
        Assert.True(emulatedVsBf16 < bf16VsF32 / 4, $"emulated vs native bf16 {emulatedVsBf16}, bf16 vs float32 {bf16VsF32}");

        using (no_grad())
        {
            var map = emulated.EncodeWithFeatureMap(x).FeatureMap;
            Assert.Equal(ScalarType.Float32, map.dtype);
            Assert.Equal(0f, (map - map.to(ScalarType.BFloat16).to(ScalarType.Float32)).abs().max().item<float>());
            Assert.True(map.abs().max().item<float>() > 0);
        }
        Assert.Equal(0f, (x - randn(4, 4, 160, generator: new Generator(9)) * 1.5).abs().max().item<float>()); // input untouched
    }

    [Fact]
    public void Bf16Auto_FollowsTheCpuFlags()
    {
        var expected = Bf16Support.Detect().Native == false ? Bf16Kernels.Float32Emulated : Bf16Kernels.Native;
        Assert.Equal(expected, Bf16Execution.Resolve(Bf16Kernels.Auto));
        Assert.Equal(Bf16Kernels.Native, Bf16Execution.Resolve(Bf16Kernels.Native));
        Assert.Equal(Bf16Kernels.Float32Emulated, Bf16Execution.Resolve(Bf16Kernels.Float32Emulated));
        using var scope = NewDisposeScope();
        var v = tensor(new[] { 1.0f + 1f / 256, 1.0f + 3f / 256, 3.14159265f, -2.7182818f });
        Bf16Execution.RoundInPlace(v);
        Assert.Equal(new[] { 1.0f, 1.015625f, 3.140625f, -2.71875f }, v.data<float>().ToArray()); // nearest bf16, ties to even
    }

    [Fact]
    public void Encode_DoesNotModifyInputAndReturnsOrdinaryTensorForTrainingHeads()
    {
        using var trained = Trained(Small, 5);
        using var fast = InferenceEncoder.Create(trained);
        using var scope = NewDisposeScope();
        var x = randn(3, 4, 160);
        var copy = x.clone();
        var embedding = fast.Encode(x);
        Assert.True(x.equal(copy).all().item<bool>());
        Assert.False(embedding.requires_grad);
        // A head trained on the embeddings must be able to save them for backward (inference tensors cannot be).
        using var head = nn.Linear(12, 2);
        var loss = head.forward(embedding).pow(2).sum();
        loss.backward();
        Assert.NotNull(head.weight!.grad);
    }

    [Theory]
    [InlineData(ActivationLayout.ChannelsFirst)]
    [InlineData(ActivationLayout.ChannelsLast)]
    public void EncodeWithFeatureMap_GradientWithRespectToInputMatchesTrainedEncoder(ActivationLayout layout)
    {
        using var trained = Trained(Small, 6);
        trained.Layout = layout;
        using var fast = InferenceEncoder.Create(trained);
        trained.Layout = ActivationLayout.ChannelsFirst;
        using var scope = NewDisposeScope();
        var x1 = randn(2, 4, 160, generator: new Generator(9)).requires_grad_(true);
        var x2 = x1.detach().clone().requires_grad_(true);
        var a = trained.EncodeWithFeatureMap(x1);
        var b = fast.EncodeWithFeatureMap(x2);
        Assert.Equal(a.FeatureMap.shape, b.FeatureMap.shape);
        Assert.True(b.FeatureMap.is_contiguous()); // callers may read its storage directly
        a.Embedding.sum().backward();
        b.Embedding.sum().backward();
        double diff = (x1.grad! - x2.grad!).abs().max().item<float>();
        double scale = x1.grad!.abs().max().item<float>();
        Assert.True(diff <= 1e-4 * scale, $"gradient difference {diff} (scale {scale})");
    }

    [Fact]
    public void Create_IsASnapshotIndependentOfTheTrainedEncoder()
    {
        var trained = Trained(Small, 7);
        using var fast = InferenceEncoder.Create(trained);
        using var scope = NewDisposeScope();
        var x = randn(2, 4, 160);
        var before = fast.Encode(x);
        trained.Dispose();
        Assert.True(fast.Encode(x).allclose(before));
        Assert.Equal(12, fast.OutputDim);
        Assert.Equal(Small.Leads, fast.Leads);
        Assert.All(fast.Module.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void Encode_WrongLeadCount_ThrowsNamingTheShape()
    {
        using var trained = Trained(Small, 8);
        using var fast = InferenceEncoder.Create(trained);
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => fast.Encode(randn(2, 12, 160)));
        Assert.Contains("[batch, 4, samples]", ex.Message);
    }
}
