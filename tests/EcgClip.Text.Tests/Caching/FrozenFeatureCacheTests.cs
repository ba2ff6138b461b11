using EcgClip.Core.Native;
using EcgClip.Text.Caching;
using static TorchSharp.torch;

namespace EcgClip.Text.Tests.Caching;

public sealed class FrozenFeatureCacheTests
{
    public FrozenFeatureCacheTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    /// <summary>A stand-in body: feature = (sum of the row's masked ids, token count); records each call's input shape.</summary>
    private sealed class CountingBody
    {
        public List<long[]> Shapes { get; } = [];

        public Tensor Run(Tensor ids, Tensor mask)
        {
            Shapes.Add(ids.shape);
            var m = mask.to_type(ScalarType.Float32);
            return stack([(ids.to_type(ScalarType.Float32) * m).sum(1), m.sum(1)], 1);
        }
    }

    private static (Tensor Ids, Tensor Mask) Batch(params long[][] rows)
    {
        int width = rows.Max(r => r.Length) + 2; // extra padding beyond the longest row
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) { ids[i * width + j] = rows[i][j]; mask[i * width + j] = 1; }
        return (tensor(ids, [rows.Length, width]), tensor(mask, [rows.Length, width]));
    }

    [Fact]
    public void Each_distinct_row_runs_through_the_body_once_and_padding_does_not_change_the_key()
    {
        var cache = new FrozenFeatureCache(16);
        var body = new CountingBody();
        using var scope = NewDisposeScope();
        var (ids, mask) = Batch([2, 7, 3], [2, 9, 9, 3], [2, 7, 3]);
        var first = cache.GetOrEncode(ids, mask, 2, body.Run).data<float>().ToArray();
        Assert.Equal([12f, 3f, 23f, 4f, 12f, 3f], first);
        Assert.Equal([2L, 4L], Assert.Single(body.Shapes)); // 2 distinct rows, trimmed to the longest (4 tokens)
        Assert.Equal(2, cache.RowsEncoded);
        Assert.Equal(3, cache.Misses);

        var (ids2, mask2) = Batch([2, 9, 9, 3, 0], [2, 7, 3]); // same rows, other padding; [2 9 9 3 0]'s 0 is a real token
        var second = cache.GetOrEncode(ids2, mask2, 2, body.Run).data<float>().ToArray();
        Assert.Equal([23f, 5f, 12f, 3f], second);
        Assert.Equal(3, cache.RowsEncoded); // only the 5-token row is new
        Assert.Equal(1, cache.Hits);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void A_full_cache_evicts_and_re_encodes_and_a_wrong_width_body_is_refused()
    {
        var cache = new FrozenFeatureCache(1);
        var body = new CountingBody();
        using var scope = NewDisposeScope();
        var (a, am) = Batch([2, 5, 3]);
        var (b, bm) = Batch([2, 6, 3]);
        cache.GetOrEncode(a, am, 2, body.Run);
        cache.GetOrEncode(b, bm, 2, body.Run);
        cache.GetOrEncode(a, am, 2, body.Run);
        Assert.Equal(3, cache.RowsEncoded);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Throws<InvalidOperationException>(() => cache.GetOrEncode(a, am, 3, body.Run));
    }
}
