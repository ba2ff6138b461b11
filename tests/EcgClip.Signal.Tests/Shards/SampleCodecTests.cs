using System.Runtime.Intrinsics;
using EcgClip.Signal.Shards;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Shards;

public class SampleCodecTests
{
    [Fact]
    public void DecodeInt16_AllLengthsUpTo3Vector512PlusOne_EqualsScalarReference()
    {
        var rng = new Random(3);
        int max = 3 * Vector512<short>.Count + 1;
        for (int n = 0; n <= max; n++)
        {
            var src = new short[n];
            for (int i = 0; i < n; i++) src[i] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
            foreach (bool nan in new[] { false, true })
            {
                var fast = new float[n + 1];
                var slow = new float[n + 1];
                fast[n] = slow[n] = 42f; // untouched sentinel
                SampleCodec.DecodeInt16(src, 1.2345e-4f, nan, fast);
                SampleCodec.DecodeInt16Scalar(src, 1.2345e-4f, nan, slow);
                Assert.Equal(slow, fast); // bit-identical (same IEEE operations)
            }
        }
    }

    [Property(MaxTest = 200)]
    public Property EncodeThenDecodeInt16_ErrorAtMostHalfScale()
    {
        var values = Gen.ArrayOf(Gen.Choose(-2_000_000, 2_000_000).Select(v => v / 1000.0));
        return Prop.ForAll(values.ToArbitrary(), x =>
        {
            var q = new short[x.Length];
            float scale = SampleCodec.EncodeInt16(x, q, out bool nan);
            var back = new float[x.Length];
            SampleCodec.DecodeInt16(q, scale, nan, back);
            double bound = scale / 2 * (1 + 1e-5) + 1e-9;
            return !nan && x.Select((v, i) => Math.Abs(back[i] - v) <= bound + Math.Abs(v) * 1e-7).All(ok => ok);
        });
    }

    [Fact]
    public void EncodeInt16_NaNAndInfinity_StoredAsSentinelDecodedAsNaN()
    {
        double[] x = [1.0, double.NaN, -2.0, double.PositiveInfinity];
        var q = new short[4];
        float scale = SampleCodec.EncodeInt16(x, q, out bool nan);
        Assert.True(nan);
        Assert.Equal(2.0f / 32767f, scale);
        var back = new float[4];
        SampleCodec.DecodeInt16(q, scale, nan, back);
        Assert.True(float.IsNaN(back[1]) && float.IsNaN(back[3]));
        Assert.Equal(-2.0, back[2], 5);
    }

    [Fact]
    public void DecodeInt16_ShortDestination_Throws() =>
        Assert.Throws<ArgumentException>(() => SampleCodec.DecodeInt16(new short[10], 1f, false, new float[9]));
}
