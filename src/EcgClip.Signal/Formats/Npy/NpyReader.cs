using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Npy;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0): little-endian bool, int8–int64, uint8–uint64,
/// float32 and float64, C order, any rank. Bad, truncated or unsupported input raises <see cref="EcgFormatException"/>
/// naming the file and the reason; the declared size is checked against the file length before allocating.
/// </summary>
public static class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in <paramref name="path"/>.</summary>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new EcgFormatException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new EcgFormatException(path, "file not found"); }
        catch (IOException ex) { throw new EcgFormatException(path, "cannot read file: " + ex.Message, ex); }
        return Read(bytes, path);
    }

    /// <summary>Reads an array from the whole of <paramref name="stream"/>; <paramref name="name"/> is used in error messages.</summary>
    public static NpyArray Read(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Read(ms.GetBuffer().AsSpan(0, (int)ms.Length), name);
    }

    /// <summary>Reads an array from the bytes of a .npy file; <paramref name="name"/> is used in error messages.</summary>
    public static NpyArray Read(ReadOnlySpan<byte> file, string name = "<bytes>")
    {
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic))
            throw new EcgFormatException(name, "not a .npy file (missing \\x93NUMPY magic)");
        byte major = file[6];
        int headerLen, headerStart;
        switch (major)
        {
            case 1:
                headerLen = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
                headerStart = 10;
                break;
            case 2:
            case 3:
                if (file.Length < 12) throw new EcgFormatException(name, "truncated .npy header");
                uint len = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
                if (len > int.MaxValue - 12) throw new EcgFormatException(name, "declared .npy header length is too large");
                headerLen = (int)len;
                headerStart = 12;
                break;
            default:
                throw new EcgFormatException(name, $"unsupported .npy format version {major}.{file[7]}");
        }
        if (file.Length - headerStart < headerLen)
            throw new EcgFormatException(name, $"truncated .npy header: declares {headerLen} bytes, file has {file.Length - headerStart}");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file.Slice(headerStart, headerLen));
        var (descr, fortran, shape) = ParseHeader(header, name);
        if (fortran)
            throw new EcgFormatException(name, "Fortran-order .npy arrays are not supported (save with C order, e.g. np.ascontiguousarray)");
        if (!NpyDTypes.TryParseDescr(descr, out var dtype))
            throw new EcgFormatException(name, $"unsupported .npy dtype '{descr}' (supported: little-endian b1, i1–i8, u1–u8, f4, f8)");
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
            if (count > int.MaxValue) throw new EcgFormatException(name, "array has too many elements");
        }
        int size = NpyDTypes.Size(dtype);
        var payload = file[(headerStart + headerLen)..];
        long need = count * size;
        if (payload.Length < need)
            throw new EcgFormatException(name, $"truncated .npy data: shape ({string.Join(", ", shape)}) of {descr} needs {need} bytes, file has {payload.Length}");
        var data = Array.CreateInstance(NpyDTypes.ClrType(dtype), (int)count);
        var dst = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), (int)need);
        payload[..(int)need].CopyTo(dst);
        if (dtype == NpyDType.Bool)
        {
            foreach (ref byte b in dst)
                if (b > 1) b = 1; // canonical bool
        }
        return new NpyArray(dtype, shape.Select(d => (int)d).ToArray(), data);
    }

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string name)
    {
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        var p = new Parser(header, name);
        p.Skip();
        p.Expect('{');
        while (true)
        {
            p.Skip();
            if (p.TryConsume('}')) break;
            string key = p.String();
            p.Skip();
            p.Expect(':');
            p.Skip();
            switch (key)
            {
                case "descr": descr = p.String(); break;
                case "fortran_order": fortran = p.Bool(); break;
                case "shape": shape = p.Tuple(); break;
                default: throw new EcgFormatException(name, $"unexpected key '{key}' in .npy header");
            }
            p.Skip();
            if (p.TryConsume(',')) continue;
            p.Skip();
            p.Expect('}');
            break;
        }
        if (descr is null || fortran is null || shape is null)
            throw new EcgFormatException(name, ".npy header lacks 'descr', 'fortran_order' or 'shape'");
        return (descr, fortran.Value, shape);
    }

    private ref struct Parser(string s, string name)
    {
        private int _i;

        public void Skip()
        {
            while (_i < s.Length && char.IsWhiteSpace(s[_i])) _i++;
        }

        public bool TryConsume(char c)
        {
            if (_i < s.Length && s[_i] == c) { _i++; return true; }
            return false;
        }

        public void Expect(char c)
        {
            if (!TryConsume(c)) throw Error($"expected '{c}'");
        }

        public string String()
        {
            if (_i >= s.Length || s[_i] is not ('\'' or '"')) throw Error("expected a string");
            char q = s[_i++];
            int start = _i;
            while (_i < s.Length && s[_i] != q) _i++;
            if (_i >= s.Length) throw Error("unterminated string");
            return s[start.._i++];
        }

        public bool Bool()
        {
            if (string.CompareOrdinal(s, _i, "True", 0, 4) == 0) { _i += 4; return true; }
            if (string.CompareOrdinal(s, _i, "False", 0, 5) == 0) { _i += 5; return false; }
            throw Error("expected True or False");
        }

        public long[] Tuple()
        {
            Expect('(');
            var dims = new List<long>();
            while (true)
            {
                Skip();
                if (TryConsume(')')) break;
                int start = _i;
                while (_i < s.Length && char.IsAsciiDigit(s[_i])) _i++;
                if (_i == start || _i - start > 12) throw Error("expected a non-negative dimension");
                dims.Add(long.Parse(s.AsSpan(start, _i - start), System.Globalization.CultureInfo.InvariantCulture));
                if (dims.Count > 32) throw Error("more than 32 dimensions");
                Skip();
                if (TryConsume(',')) continue;
                Expect(')');
                break;
            }
            return [.. dims];
        }

        private readonly EcgFormatException Error(string what) => new(name, $"malformed .npy header at character {_i}: {what}");
    }
}
