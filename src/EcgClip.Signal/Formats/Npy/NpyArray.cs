using System.Runtime.InteropServices;

namespace EcgClip.Signal.Formats.Npy;

/// <summary>Element types supported in .npy files (always stored little-endian, C order).</summary>
public enum NpyDType
{
    /// <summary>numpy <c>|b1</c>, one byte 0/1.</summary>
    Bool,
    /// <summary>numpy <c>|i1</c>.</summary>
    Int8,
    /// <summary>numpy <c>|u1</c>.</summary>
    UInt8,
    /// <summary>numpy <c>&lt;i2</c>.</summary>
    Int16,
    /// <summary>numpy <c>&lt;u2</c>.</summary>
    UInt16,
    /// <summary>numpy <c>&lt;i4</c>.</summary>
    Int32,
    /// <summary>numpy <c>&lt;u4</c>.</summary>
    UInt32,
    /// <summary>numpy <c>&lt;i8</c>.</summary>
    Int64,
    /// <summary>numpy <c>&lt;u8</c>.</summary>
    UInt64,
    /// <summary>numpy <c>&lt;f4</c>.</summary>
    Float32,
    /// <summary>numpy <c>&lt;f8</c>.</summary>
    Float64,
}

/// <summary>
/// An n-dimensional array read from or written to a .npy file: a shape (C order, row-major) and a flat,
/// typed element array (<c>bool[]</c>, <c>sbyte[]</c>, <c>byte[]</c>, <c>short[]</c>, <c>ushort[]</c>, <c>int[]</c>,
/// <c>uint[]</c>, <c>long[]</c>, <c>ulong[]</c>, <c>float[]</c> or <c>double[]</c> per <see cref="DType"/>).
/// </summary>
public sealed class NpyArray
{
    /// <summary>Wraps <paramref name="data"/> (a flat array of the CLR type matching <paramref name="dtype"/>) with <paramref name="shape"/>.</summary>
    public NpyArray(NpyDType dtype, int[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.GetType().GetElementType() != NpyDTypes.ClrType(dtype) || data.Rank != 1)
            throw new ArgumentException($"data is {data.GetType().Name}, expected a flat {NpyDTypes.ClrType(dtype).Name}[] for dtype {dtype}");
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException("shape dimensions must be non-negative");
            count *= d;
        }
        if (count != data.Length) throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but data has {data.Length}");
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>Creates an array from typed data; the dtype is inferred from <typeparamref name="T"/>.</summary>
    public static NpyArray Create<T>(T[] data, params int[] shape) where T : unmanaged =>
        new(NpyDTypes.FromClr(typeof(T)), shape, data);

    /// <summary>The element type.</summary>
    public NpyDType DType { get; }

    /// <summary>Dimensions, outermost first (C order). Empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The flat element array in C (row-major) order.</summary>
    public Array Data { get; }

    /// <summary>Number of elements.</summary>
    public int Count => Data.Length;

    /// <summary>The flat data as <typeparamref name="T"/>[]; throws when the dtype does not match.</summary>
    public T[] As<T>() where T : unmanaged =>
        Data as T[] ?? throw new InvalidOperationException($"array dtype is {DType}, not {typeof(T).Name}");

    /// <summary>The data converted element-wise to double (bool → 0/1).</summary>
    public double[] ToDoubleArray()
    {
        var result = new double[Count];
        switch (Data)
        {
            case double[] d: d.CopyTo(result, 0); break;
            case float[] f: for (int i = 0; i < f.Length; i++) result[i] = f[i]; break;
            case bool[] b: for (int i = 0; i < b.Length; i++) result[i] = b[i] ? 1 : 0; break;
            case sbyte[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case byte[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case short[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case ushort[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case int[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case uint[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case long[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case ulong[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
        }
        return result;
    }

    /// <summary>The raw little-endian bytes of the data.</summary>
    internal ReadOnlySpan<byte> RawBytes() => MemoryMarshal.CreateReadOnlySpan(
        ref MemoryMarshal.GetArrayDataReference(Data), checked(Data.Length * NpyDTypes.Size(DType)));
}

/// <summary>Helpers mapping <see cref="NpyDType"/> to numpy descr strings and CLR types.</summary>
public static class NpyDTypes
{
    /// <summary>Element size in bytes.</summary>
    public static int Size(NpyDType t) => t switch
    {
        NpyDType.Bool or NpyDType.Int8 or NpyDType.UInt8 => 1,
        NpyDType.Int16 or NpyDType.UInt16 => 2,
        NpyDType.Int32 or NpyDType.UInt32 or NpyDType.Float32 => 4,
        _ => 8,
    };

    /// <summary>The numpy descr string, e.g. <c>&lt;f8</c>.</summary>
    public static string Descr(NpyDType t) => t switch
    {
        NpyDType.Bool => "|b1",
        NpyDType.Int8 => "|i1",
        NpyDType.UInt8 => "|u1",
        NpyDType.Int16 => "<i2",
        NpyDType.UInt16 => "<u2",
        NpyDType.Int32 => "<i4",
        NpyDType.UInt32 => "<u4",
        NpyDType.Int64 => "<i8",
        NpyDType.UInt64 => "<u8",
        NpyDType.Float32 => "<f4",
        _ => "<f8",
    };

    /// <summary>The CLR element type.</summary>
    public static Type ClrType(NpyDType t) => t switch
    {
        NpyDType.Bool => typeof(bool),
        NpyDType.Int8 => typeof(sbyte),
        NpyDType.UInt8 => typeof(byte),
        NpyDType.Int16 => typeof(short),
        NpyDType.UInt16 => typeof(ushort),
        NpyDType.Int32 => typeof(int),
        NpyDType.UInt32 => typeof(uint),
        NpyDType.Int64 => typeof(long),
        NpyDType.UInt64 => typeof(ulong),
        NpyDType.Float32 => typeof(float),
        _ => typeof(double),
    };

    /// <summary>The dtype for a CLR element type; throws <see cref="NotSupportedException"/> for others.</summary>
    public static NpyDType FromClr(Type t) =>
        t == typeof(bool) ? NpyDType.Bool :
        t == typeof(sbyte) ? NpyDType.Int8 :
        t == typeof(byte) ? NpyDType.UInt8 :
        t == typeof(short) ? NpyDType.Int16 :
        t == typeof(ushort) ? NpyDType.UInt16 :
        t == typeof(int) ? NpyDType.Int32 :
        t == typeof(uint) ? NpyDType.UInt32 :
        t == typeof(long) ? NpyDType.Int64 :
        t == typeof(ulong) ? NpyDType.UInt64 :
        t == typeof(float) ? NpyDType.Float32 :
        t == typeof(double) ? NpyDType.Float64 :
        throw new NotSupportedException($".npy has no dtype for {t.Name}");

    /// <summary>Parses a numpy descr (little-endian or byte-order-free only); false when unsupported.</summary>
    public static bool TryParseDescr(string descr, out NpyDType dtype)
    {
        dtype = default;
        if (descr.Length < 3) return false;
        char order = descr[0];
        string kind = descr[1..];
        bool oneByte = kind is "b1" or "i1" or "u1";
        if (!(order == '<' || order == '|' && oneByte || order == '=' && BitConverter.IsLittleEndian)) return false;
        switch (kind)
        {
            case "b1": dtype = NpyDType.Bool; return true;
            case "i1": dtype = NpyDType.Int8; return true;
            case "u1": dtype = NpyDType.UInt8; return true;
            case "i2": dtype = NpyDType.Int16; return true;
            case "u2": dtype = NpyDType.UInt16; return true;
            case "i4": dtype = NpyDType.Int32; return true;
            case "u4": dtype = NpyDType.UInt32; return true;
            case "i8": dtype = NpyDType.Int64; return true;
            case "u8": dtype = NpyDType.UInt64; return true;
            case "f4": dtype = NpyDType.Float32; return true;
            case "f8": dtype = NpyDType.Float64; return true;
            default: return false;
        }
    }
}
