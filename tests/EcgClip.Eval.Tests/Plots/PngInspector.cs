using SkiaSharp;

namespace EcgClip.Eval.Tests.Plots;

/// <summary>Decodes a PNG and summarises its pixels, to tell a drawn plot from a blank or broken file.</summary>
internal static class PngInspector
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height, double NonWhiteFraction, int DistinctColors, Func<SKColor, int> CountNear) Inspect(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(s_signature), "not a PNG signature");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        var pixels = bitmap.Pixels;
        int nonWhite = pixels.Count(p => p.Red < 245 || p.Green < 245 || p.Blue < 245);
        int distinct = pixels.Select(p => (uint)p).Distinct().Count();
        int CountNear(SKColor c) => pixels.Count(p => Math.Abs(p.Red - c.Red) < 12 && Math.Abs(p.Green - c.Green) < 12 && Math.Abs(p.Blue - c.Blue) < 12);
        return (bitmap.Width, bitmap.Height, nonWhite / (double)pixels.Length, distinct, CountNear);
    }
}
