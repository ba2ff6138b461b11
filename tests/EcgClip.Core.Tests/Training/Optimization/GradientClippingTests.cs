using EcgClip.Core.Native;
using EcgClip.Core.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training.Optimization;

/// <summary>Against torch.nn.utils.clip_grad_norm_ of PyTorch 1.13 (Fixtures/optimization.json).</summary>
public sealed class GradientClippingTests
{
    public GradientClippingTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    [Fact]
    public void ClipNorm_MatchesPyTorch_NormAndClippedGradients()
    {
        int cases = 0;
        foreach (var c in WarmupCosineScheduleTests.Fixture.Value.GetProperty("clipGradNorm").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            var shapes = c.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt64()).ToArray()).ToList();
            var grads = c.GetProperty("grads").EnumerateArray().Select(g => g.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
            var clipped = c.GetProperty("clipped").EnumerateArray().Select(g => g.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
            var parameters = new List<Parameter>();
            for (int i = 0; i < shapes.Count; i++)
            {
                var p = new Parameter(zeros(shapes[i]));
                p.grad = tensor(grads[i], shapes[i]);
                parameters.Add(p);
            }
            parameters.Add(new Parameter(zeros(2))); // no gradient: skipped

            var total = GradientClipping.ClipNorm(parameters, c.GetProperty("maxNorm").GetDouble());

            Assert.Equal(0, total.dim());
            Assert.Equal(c.GetProperty("totalNorm").GetDouble(), total.item<float>(), 1e-5);
            for (int i = 0; i < shapes.Count; i++)
            {
                var got = parameters[i].grad!.data<float>().ToArray();
                for (int j = 0; j < got.Length; j++) Assert.True(Math.Abs(got[j] - clipped[i][j]) <= 1e-6 * Math.Max(1, Math.Abs(clipped[i][j])), $"case {cases} grad {i}[{j}]: {got[j]} vs {clipped[i][j]}");
            }
            cases++;
        }
        Assert.Equal(3, cases);
    }

    [Fact]
    public void ClipNorm_WithoutGradients_ReturnsZero_AndRejectsBadMaxNorm()
    {
        using var p = new Parameter(ones(3));
        using var total = GradientClipping.ClipNorm([p], 1.0);
        Assert.Equal(0f, total.item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipNorm([p], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipNorm([p], double.NaN));
    }

    [Fact]
    public void ClipNorm_LeavesNoLiveTensorsBehind()
    {
        using var p = new Parameter(ones(3));
        p.grad = full(3, 10f);
        using var outer = NewDisposeScope();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var total = GradientClipping.ClipNorm([p], 1.0);
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // only the returned norm
        Assert.Equal(MathF.Sqrt(300), total.item<float>(), 3);
    }

    [Fact]
    public void ClipNorm_MixedDtypes_UsesFloat32Norms()
    {
        using var a = new Parameter(zeros(2));
        using var b = new Parameter(zeros(2, dtype: bfloat16));
        a.grad = tensor(new[] { 3f, 0f });
        b.grad = tensor(new[] { 0f, 4f }).to(bfloat16);
        using var total = GradientClipping.ClipNorm([a, b], 1.0);
        Assert.Equal(ScalarType.Float32, total.dtype);
        Assert.Equal(5f, total.item<float>(), 5);
        Assert.Equal(0.6f, a.grad!.data<float>()[0], 5);
        Assert.Equal(0.8f, b.grad!.to(float32).data<float>()[1], 2);
    }
}
