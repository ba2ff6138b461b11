using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace EcgClip.Core.SafeTensors;

/// <summary>Element types of the safetensors format that EcgClip recognises.</summary>
public enum SafeTensorDType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,
    /// <summary>IEEE 754 binary16.</summary>
    F16,
    /// <summary>bfloat16 (the upper 16 bits of a binary32).</summary>
    BF16,
    /// <summary>IEEE 754 binary64.</summary>
    F64,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Boolean, one byte.</summary>
    Bool,
}

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name, e.g. <c>encoder.layer.0.attention.self.query.weight</c>.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="Begin">Start of the data, in bytes from the start of the data section.</param>
/// <param name="End">End of the data (exclusive), in bytes from the start of the data section.</param>
public sealed record SafeTensorInfo(string Name, SafeTensorDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary><c>[d0, d1, …]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// Reads the safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}</c>, then the raw
/// little-endian data. The header is validated completely on open: every dtype is known, shapes are
/// non-negative, each tensor's byte range lies inside the file and equals elements × element size, and ranges do
/// not overlap. Tensors are read on demand (F32, F16 and BF16 convert to float32).
/// </summary>
/// <remarks>Errors: <see cref="InvalidDataException"/> naming the file and the offending entry.</remarks>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>Largest accepted header (100 MB, as the reference implementation).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly FileStream _stream;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, FileStream stream, long dataStart, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _stream = stream;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Tensor entries by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }

    /// <summary>The optional <c>__metadata__</c> string map.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            long length = stream.Length;
            if (length < 8) throw Bad(path, $"file is {length} bytes, shorter than the 8-byte header length");
            Span<byte> lenBytes = stackalloc byte[8];
            stream.ReadExactly(lenBytes);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
            if (headerLength > MaxHeaderBytes || headerLength > (ulong)(length - 8))
                throw Bad(path, $"header length {headerLength} exceeds the file ({length} bytes) or the {MaxHeaderBytes}-byte limit");
            var header = new byte[(int)headerLength];
            stream.ReadExactly(header);
            long dataStart = 8 + (long)headerLength;
            var (tensors, metadata) = ParseHeader(path, header, length - dataStart);
            return new SafeTensorsFile(path, stream, dataStart, tensors, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static (Dictionary<string, SafeTensorInfo>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw Bad(path, $"header is not valid JSON: {ex.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[prop.Name] = ParseEntry(path, prop.Name, prop.Value, dataLength);
            }
            var ordered = tensors.Values.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
            for (int i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Begin < ordered[i - 1].End && ordered[i].End > ordered[i].Begin)
                    throw Bad(path, $"tensors '{ordered[i - 1].Name}' and '{ordered[i].Name}' overlap");
            }
            return (tensors, metadata);
        }
    }

    private static SafeTensorInfo ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        try
        {
            if (e.ValueKind != JsonValueKind.Object) throw Bad(path, $"entry '{name}' is not an object");
            string dtypeText = e.GetProperty("dtype").GetString() ?? "";
            var dtype = ParseDType(dtypeText) ?? throw Bad(path, $"tensor '{name}' has unsupported dtype '{dtypeText}'");
            var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0)) throw Bad(path, $"tensor '{name}' has a negative dimension");
            var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2) throw Bad(path, $"tensor '{name}' needs data_offsets [begin, end]");
            var info = new SafeTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
            if (info.Begin < 0 || info.End < info.Begin || info.End > dataLength)
                throw Bad(path, $"tensor '{name}' data_offsets [{info.Begin}, {info.End}] lie outside the {dataLength}-byte data section");
            long expected = checked(info.ElementCount * ElementSize(dtype));
            if (info.End - info.Begin != expected)
                throw Bad(path, $"tensor '{name}' ({dtypeText} {info.ShapeText}) needs {expected} bytes, data_offsets give {info.End - info.Begin}");
            return info;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw Bad(path, $"malformed entry '{name}': {ex.Message}");
        }
    }

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F64 or SafeTensorDType.I64 => 8,
        SafeTensorDType.F32 or SafeTensorDType.I32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.I16 => 2,
        _ => 1,
    };

    private static SafeTensorDType? ParseDType(string text) => text switch
    {
        "F32" => SafeTensorDType.F32,
        "F16" => SafeTensorDType.F16,
        "BF16" => SafeTensorDType.BF16,
        "F64" => SafeTensorDType.F64,
        "I64" => SafeTensorDType.I64,
        "I32" => SafeTensorDType.I32,
        "I16" => SafeTensorDType.I16,
        "I8" => SafeTensorDType.I8,
        "U8" => SafeTensorDType.U8,
        "BOOL" => SafeTensorDType.Bool,
        _ => null,
    };

    /// <summary>Reads a floating-point tensor (F32, F16, BF16 or F64) as float32 values in row-major order.</summary>
    /// <exception cref="KeyNotFoundException">No tensor of that name.</exception>
    /// <exception cref="NotSupportedException">The tensor is not floating point.</exception>
    public float[] ReadFloat32(string name)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new KeyNotFoundException($"{Path}: no tensor '{name}'");
        var raw = new byte[info.End - info.Begin];
        RandomAccess.Read(_stream.SafeFileHandle, raw, _dataStart + info.Begin);
        var result = new float[info.ElementCount];
        switch (info.DType)
        {
            case SafeTensorDType.F32:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * i));
                break;
            case SafeTensorDType.F16:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(2 * i));
                break;
            case SafeTensorDType.BF16:
                for (int i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2 * i)) << 16);
                break;
            case SafeTensorDType.F64:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8 * i));
                break;
            default:
                throw new NotSupportedException($"{Path}: tensor '{name}' is {info.DType}; only F32, F16, BF16 and F64 read as float");
        }
        return result;
    }

    /// <summary>Reads a signed or unsigned integer tensor (I64, I32, I16, I8, U8) as int64 values in row-major order.</summary>
    /// <exception cref="KeyNotFoundException">No tensor of that name.</exception>
    /// <exception cref="NotSupportedException">The tensor is not an integer tensor.</exception>
    public long[] ReadInt64(string name)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new KeyNotFoundException($"{Path}: no tensor '{name}'");
        var raw = new byte[info.End - info.Begin];
        RandomAccess.Read(_stream.SafeFileHandle, raw, _dataStart + info.Begin);
        var result = new long[info.ElementCount];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = info.DType switch
            {
                SafeTensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * i)),
                SafeTensorDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(4 * i)),
                SafeTensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(2 * i)),
                SafeTensorDType.I8 => (sbyte)raw[i],
                SafeTensorDType.U8 => raw[i],
                _ => throw new NotSupportedException($"{Path}: tensor '{name}' is {info.DType}; only I64, I32, I16, I8 and U8 read as int64"),
            };
        }
        return result;
    }

    /// <summary>The raw little-endian bytes of tensor <paramref name="name"/>, exactly as stored (any dtype).</summary>
    /// <exception cref="KeyNotFoundException">No tensor of that name.</exception>
    public byte[] ReadBytes(string name)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new KeyNotFoundException($"{Path}: no tensor '{name}'");
        var raw = new byte[info.End - info.Begin];
        RandomAccess.Read(_stream.SafeFileHandle, raw, _dataStart + info.Begin);
        return raw;
    }

    /// <summary>
    /// Reads a tensor as a new CPU tensor of its shape (the caller owns it): floating-point entries as float32,
    /// integer entries (e.g. batch norm's <c>num_batches_tracked</c>) as int64.
    /// </summary>
    /// <exception cref="NotSupportedException">The tensor is boolean.</exception>
    public Tensor ReadTensor(string name)
    {
        if (Tensors.TryGetValue(name, out var info) && info.DType is SafeTensorDType.I64 or SafeTensorDType.I32 or SafeTensorDType.I16 or SafeTensorDType.I8 or SafeTensorDType.U8)
            return tensor(ReadInt64(name), info.Shape.ToArray(), ScalarType.Int64);
        var values = ReadFloat32(name);
        return tensor(values, Tensors[name].Shape.ToArray(), ScalarType.Float32);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private static InvalidDataException Bad(string path, string message) => new($"{path}: invalid safetensors file: {message}");
}
