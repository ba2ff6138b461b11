using EcgClip.Core.Heads;
using EcgClip.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Heads;

public sealed class ProjectionHeadTests
{
    public ProjectionHeadTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Theory]
    [InlineData(ProjectionActivation.Relu)]
    [InlineData(ProjectionActivation.Gelu)]
    public void Forward_Mlp_EqualsLinearActivationLinearFromItsWeights(ProjectionActivation activation)
    {
        using var head = new MlpProjectionHead(5, 7, 3, activation);
        head.to(float64);
        using var scope = NewDisposeScope();
        var p = head.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var x = randn(4, 5, float64);
        var h = x.matmul(p["fc1.weight"].t()) + p["fc1.bias"];
        // ReLU max(0, h); GELU h·Φ(h) = h·½(1 + erf(h/√2)).
        h = activation == ProjectionActivation.Relu ? h.clamp_min(0) : h * 0.5 * (1 + (h / Math.Sqrt(2)).erf());
        var expected = h.matmul(p["fc2.weight"].t()) + p["fc2.bias"];
        double diff = (head.forward(x) - expected).abs().max().item<double>();
        Assert.True(diff < 1e-12, $"max |diff| {diff}");
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], p.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_UnknownKind_ThrowsListingKinds()
    {
        var ex = Assert.Throws<ArgumentException>(() => ProjectionHead.Create("conv", 4, 2));
        Assert.Contains("linear, mlp", ex.Message);
        using var linear = ProjectionHead.Create(ProjectionHead.Linear, 4, 2);
        Assert.Equal(["bias", "weight"], linear.named_parameters().Select(x => x.name).Order(StringComparer.Ordinal));
        using var mlp = (MlpProjectionHead)ProjectionHead.Create(ProjectionHead.Mlp, 4, 2);
        Assert.Equal(4 * 2 + 2 + 2 * 2 + 2, mlp.parameters().Sum(x => x.numel())); // hidden defaults to the output width
    }

    [Fact]
    public void Forward_QueryAttentionWithIdentityProjections_IsSoftmaxWeightedValues()
    {
        // One head, W_q = W_k = W_v = out_proj = I, zero biases: out = softmax(q·Kᵀ/√d)·V with q = K = V = x.
        using var attention = new QueryAttention(3, 1);
        attention.to(float64);
        using var scope = NewDisposeScope();
        var p = attention.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            p["in_proj_weight"].copy_(cat([eye(3, dtype: float64), eye(3, dtype: float64), eye(3, dtype: float64)], 0));
            p["out_proj.weight"].copy_(eye(3, dtype: float64));
            p["in_proj_bias"].zero_();
            p["out_proj.bias"].zero_();
        }
        var x = randn(2, 4, 3, float64);
        var q = x[.., ..1, ..];
        var expected = (q.matmul(x.transpose(1, 2)) / Math.Sqrt(3)).softmax(-1).matmul(x);
        double diff = (attention.forward(q, x, x) - expected).abs().max().item<double>();
        Assert.True(diff < 1e-12, $"max |diff| {diff}");
    }

    [Fact]
    public void Create_QueryAttentionWidthNotDivisible_Throws()
    {
        Assert.Throws<ArgumentException>(() => new QueryAttention(10, 4));
    }
}
