using EcgClip.Core.Native;
using EcgClip.Text.Caching;
using EcgClip.Text.Encoders;
using EcgClip.Text.Encoders.Bert;
using EcgClip.Text.Tests.Encoders;
using EcgClip.Text.Tokenization;
using static TorchSharp.torch;

namespace EcgClip.Text.Tests.Caching;

public sealed class TextEmbeddingCacheTests
{
    public TextEmbeddingCacheTests() => TorchNativeLoader.EnsureLoaded();

    [Fact]
    public void Set_BeyondCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = new TextEmbeddingCache(2);
        cache.Set("a", [1]);
        cache.Set("b", [2]);
        Assert.True(cache.TryGet("a", out _)); // a is now most recent
        cache.Set("c", [3]);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal([1f], a);
        Assert.True(cache.TryGet("c", out _));
    }

    [Fact]
    public void Set_ConcurrentWriters_NeverExceedsCapacity()
    {
        var cache = new TextEmbeddingCache(100);
        Parallel.For(0, 10_000, i =>
        {
            cache.Set((i % 500).ToString(System.Globalization.CultureInfo.InvariantCulture), [i]);
            cache.TryGet((i % 300).ToString(System.Globalization.CultureInfo.InvariantCulture), out _);
        });
        Assert.Equal(100, cache.Count);
        Assert.Equal(10_000, cache.Hits + cache.Misses);
    }

    [Fact]
    public void Encode_FrozenBert_MatchesDirectEncodingAndHitsOnRepeats()
    {
        using var scope = NewDisposeScope();
        using var encoder = BertTextEncoder.FromPretrained(TinyBertFixture.Directory, new BertTextEncoderOptions { Pooling = TextPooling.Mean, FrozenLayers = 2 });
        encoder.Module.eval();
        foreach (var p in encoder.Module.parameters()) p.requires_grad = false; // pooler too: fully frozen
        var tokenizer = ReportTokenizer.Load(TinyBertFixture.File("vocab.txt"), new TokenizerConfig { MaxLength = 16 });
        string[] reports = ["Sinus rhythm. Normal ECG", "left axis", "sinus  rhythm. normal ecg", "left axis"];
        var cache = new TextEmbeddingCache(10);

        var cached = cache.Encode(reports, tokenizer, encoder);
        Assert.Equal(2, cache.Count); // two distinct normalised texts
        var (ids, mask) = tokenizer.EncodeBatch(reports).ToTensors();
        var direct = encoder.Encode(ids, mask);
        Assert.True(cached.allclose(direct, rtol: 1e-5, atol: 1e-6));

        var again = cache.Encode(reports, tokenizer, encoder);
        Assert.True(again.eq(cached).all().item<bool>());
        Assert.Equal(4, cache.Hits);
    }

    [Fact]
    public void Encode_TrainableEncoder_ThrowsInvalidOperation()
    {
        using var encoder = BertTextEncoder.FromPretrained(TinyBertFixture.Directory);
        var tokenizer = ReportTokenizer.Load(TinyBertFixture.File("vocab.txt"), new TokenizerConfig { MaxLength = 16 });
        Assert.Throws<InvalidOperationException>(() => new TextEmbeddingCache(4).Encode(["x"], tokenizer, encoder));
    }
}
