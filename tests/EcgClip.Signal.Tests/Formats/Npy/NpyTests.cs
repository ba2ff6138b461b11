using EcgClip.Signal.Formats.Npy;
using EcgClip.Signal.Records;
using EcgClip.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Formats.Npy;

/// <summary>Oracle: files written by numpy.save (Fixtures/make_fixtures.py, numpy 1.24).</summary>
public sealed class NpyTests
{
    private static string Fixture(string name) => TestPaths.Repo("tests", "EcgClip.Signal.Tests", "Formats", "Npy", "Fixtures", name);

    public static TheoryData<string, NpyDType, int[]> Cases => new()
    {
        { "f8_3x4", NpyDType.Float64, [3, 4] },
        { "f4_5", NpyDType.Float32, [5] },
        { "i1_2x3", NpyDType.Int8, [2, 3] },
        { "u1_7", NpyDType.UInt8, [7] },
        { "i2_2x2x2", NpyDType.Int16, [2, 2, 2] },
        { "u2_4", NpyDType.UInt16, [4] },
        { "i4_6x2", NpyDType.Int32, [6, 2] },
        { "u4_3", NpyDType.UInt32, [3] },
        { "i8_2x5", NpyDType.Int64, [2, 5] },
        { "u8_2", NpyDType.UInt64, [2] },
        { "b1_9", NpyDType.Bool, [9] },
        { "f8_scalar", NpyDType.Float64, [] },
        { "f8_0x3", NpyDType.Float64, [0, 3] },
    };

    /// <summary>The values make_fixtures.py generates: arange(n)*7 - 3n (unsigned: arange*7; float: /3; bool: i%3==0).</summary>
    private static double Expected(NpyDType t, int i, int n) => t switch
    {
        NpyDType.Bool => i % 3 == 0 ? 1 : 0,
        NpyDType.UInt8 or NpyDType.UInt16 or NpyDType.UInt32 or NpyDType.UInt64 => i * 7,
        NpyDType.Float64 => (i * 7 - n * 3) / 3.0,
        NpyDType.Float32 => (float)((i * 7 - n * 3) / 3.0),
        _ => i * 7 - n * 3,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_NumpyFixture_ShapeDtypeAndValuesMatch(string name, NpyDType dtype, int[] shape)
    {
        var a = NpyReader.Read(Fixture(name + ".npy"));
        Assert.Equal(dtype, a.DType);
        Assert.Equal(shape, a.Shape);
        var values = a.ToDoubleArray();
        Assert.Equal(shape.Aggregate(1, (x, y) => x * y), values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(Expected(dtype, i, values.Length), values[i]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_SameArray_BytesEqualNumpySave(string name, NpyDType dtype, int[] shape)
    {
        _ = dtype; _ = shape;
        byte[] expected = File.ReadAllBytes(Fixture(name + ".npy"));
        var a = NpyReader.Read(expected, name);
        using var ms = new MemoryStream();
        NpyWriter.Write(ms, a);
        Assert.Equal(expected, ms.ToArray());
    }

    [Fact]
    public void Read_SpecialFloats_NaNAndInfinityPreserved()
    {
        var d = NpyReader.Read(Fixture("f8_special.npy")).As<double>();
        Assert.Equal(1.5, d[0]);
        Assert.True(double.IsNaN(d[1]));
        Assert.Equal(double.NegativeInfinity, d[2]);
        Assert.Equal(1e-300, d[3]);
    }

    [Theory]
    [InlineData("f8_fortran.npy", "Fortran")]
    [InlineData("f8_bigendian.npy", "dtype '>f8'")]
    [InlineData("c16_complex.npy", "dtype '<c16'")]
    public void Read_UnsupportedLayout_ThrowsNamingReason(string file, string reason)
    {
        var ex = Assert.Throws<EcgFormatException>(() => NpyReader.Read(Fixture(file)));
        Assert.Contains(reason, ex.Message);
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void Read_TruncatedData_ThrowsTruncated()
    {
        byte[] b = File.ReadAllBytes(Fixture("f8_3x4.npy"));
        var ex = Assert.Throws<EcgFormatException>(() => NpyReader.Read(b.AsSpan(0, b.Length - 1), "x.npy"));
        Assert.Contains("truncated", ex.Reason);
    }

    [Fact]
    public void Read_MissingFile_ThrowsEcgFormatException()
    {
        Assert.Throws<EcgFormatException>(() => NpyReader.Read(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid() + ".npy")));
    }

    [Fact]
    public void Write_LargeHeaderV1_DataAlignedTo64()
    {
        var h = NpyWriter.Header(NpyDType.Float64, [5000, 12]);
        Assert.Equal(0, h.Length % 64);
        Assert.Equal((byte)'\n', h[^1]);
    }

    [Property(MaxTest = 300)]
    public Property RoundTrip_RandomInt32_Identical(int[] data, PositiveInt cols)
    {
        int c = Math.Min(cols.Get, 7);
        int rows = data.Length / c;
        var flat = data.AsSpan(0, rows * c).ToArray();
        using var ms = new MemoryStream();
        NpyWriter.Write(ms, NpyArray.Create(flat, rows, c));
        var back = NpyReader.Read(ms.ToArray());
        return (back.As<int>().SequenceEqual(flat) && back.Shape.SequenceEqual([rows, c])).ToProperty();
    }

    [Property(MaxTest = 2000)]
    public Property Read_MutatedBytes_OnlyEcgFormatException(byte[] noise, int pos, byte value, NonNegativeInt cut)
    {
        byte[] b = File.ReadAllBytes(Fixture("i4_6x2.npy"));
        if (noise.Length > 0) b = [.. b.AsSpan(0, Math.Abs(pos % b.Length)), .. noise];
        else b[Math.Abs(pos % b.Length)] = value;
        b = b.AsSpan(0, Math.Max(0, b.Length - cut.Get % 8)).ToArray();
        try { NpyReader.Read(b, "fuzz.npy"); }
        catch (EcgFormatException) { }
        return true.ToProperty();
    }
}
