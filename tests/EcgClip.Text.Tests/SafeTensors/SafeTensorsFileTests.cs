using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EcgClip.Core.Native;
using EcgClip.Core.SafeTensors;
using EcgClip.Text.Tests.Encoders;

namespace EcgClip.Text.Tests.SafeTensors;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-st-").FullName;

    public SafeTensorsFileTests() => TorchNativeLoader.EnsureLoaded();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("f32")]
    [InlineData("f16")]
    [InlineData("bf16")]
    public void ReadFloat32_NumpyWrittenDtypes_MatchExactly(string name)
    {
        using var file = SafeTensorsFile.Open(TinyBertFixture.File("dtypes.safetensors"));
        var expected = JsonDocument.Parse(File.ReadAllText(TinyBertFixture.File("dtypes.json"))).RootElement.GetProperty(name)
            .EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        Assert.Equal([3L, 4L], file.Tensors[name].Shape);
        Assert.Equal(expected, file.ReadFloat32(name));
        Assert.Equal("make_tiny_bert.py", file.Metadata["generator"]);
    }

    [Fact]
    public void WriteThenOpen_RoundTrips()
    {
        string path = Path.Combine(_dir, "rt.safetensors");
        SafeTensorsWriter.WriteFloat32(path, new Dictionary<string, (float[], long[])> { ["a"] = ([1, 2, 3, 4, 5, 6], [2, 3]), ["b"] = ([7], []) });
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal([1f, 2, 3, 4, 5, 6], file.ReadFloat32("a"));
        Assert.Equal([7f], file.ReadFloat32("b"));
        using var t = file.ReadTensor("a");
        Assert.Equal([2L, 3L], t.shape);
    }

    private string Write(string header, int dataBytes, ulong? lengthOverride = null)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".safetensors");
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, lengthOverride ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "outside")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unsupported dtype")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "negative")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "malformed")]
    [InlineData("not json", 0, "not valid JSON")]
    public void Open_InvalidHeader_ThrowsInvalidDataNamingProblem(string header, int dataBytes, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(Write(header, dataBytes)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Open_HeaderLengthBeyondFile_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(Write("{}", 0, lengthOverride: 1_000_000)));

    [Fact]
    public void Open_TruncatedFile_ThrowsInvalidData()
    {
        string path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
    }

    [Fact]
    public void ReadFloat32_IntegerTensor_ThrowsNotSupported()
    {
        using var file = SafeTensorsFile.Open(Write("{\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        Assert.Throws<NotSupportedException>(() => file.ReadFloat32("i"));
        Assert.Throws<KeyNotFoundException>(() => file.ReadFloat32("absent"));
    }
}
