using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml.Philips;

/// <summary>
/// Philips "XLI" waveform decompression as documented by the sierraecg project (C. Watford, MIT):
/// the data is a sequence of blocks, one per lead, each an 8-byte little-endian header
/// (int32 compressed size, int16 unused code, int16 first value) followed by the block. A block is LZW with
/// 10-bit codes read MSB-first (codes 0–255 literal bytes, table grows from 256 up to 1022, any code ≥ 1023 ends
/// the block). The output bytes (padded to even length) hold n = len/2 int16 values split into a high-byte half
/// and a low-byte half: <c>v[i] = (b[i] &lt;&lt; 8) | b[n + i]</c>. Those are second differences: with x = v[0],
/// y = v[1], last = first; for i ≥ 2: z = 2y − x − last, last = v[i] − 64, out[i] = z, x = y, y = z.
/// All arithmetic is 16-bit wrapping, as in the reference.
/// </summary>
internal static class XliDecoder
{
    private const int Bits = 10;
    private const int MaxCode = (1 << Bits) - 2; // 1022: the last code added to the table
    private const long MaxTotalBytes = 64L * 1024 * 1024;

    /// <summary>Decodes all blocks of <paramref name="data"/>; each lead bounded by <paramref name="maxSamplesPerLead"/>.</summary>
    public static List<short[]> Decode(ReadOnlySpan<byte> data, int maxSamplesPerLead, int maxLeads, string source)
    {
        var leads = new List<short[]>();
        long totalBytes = 0;
        var scratch = new LzwScratch();
        int offset = 0;
        while (offset < data.Length)
        {
            if (leads.Count >= maxLeads)
                throw new EcgFormatException(source, $"Philips XLI: more than {maxLeads} waveform blocks");
            if (data.Length - offset < 8)
                throw new EcgFormatException(source, $"Philips XLI: truncated block header at byte {offset}");
            int size = data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24);
            short first = (short)(data[offset + 6] | (data[offset + 7] << 8));
            offset += 8;
            if (size < 0 || size > data.Length - offset)
                throw new EcgFormatException(source, $"Philips XLI: block {leads.Count} declares {size} bytes but {data.Length - offset} remain (truncated or corrupt)");
            var block = data.Slice(offset, size);
            offset += size;
            int byteCount = scratch.Decompress(block, 2 * maxSamplesPerLead, source, leads.Count);
            totalBytes += byteCount;
            if (totalBytes > MaxTotalBytes)
                throw new EcgFormatException(source, $"Philips XLI: waveforms decompress to more than {MaxTotalBytes} bytes");
            leads.Add(DecodeDeltas(scratch.Output.AsSpan(0, byteCount), first));
        }
        return leads;
    }

    /// <summary>Un-splits the byte halves and integrates the second-order deltas.</summary>
    internal static short[] DecodeDeltas(ReadOnlySpan<byte> bytes, short first)
    {
        int n = (bytes.Length + 1) / 2; // an odd final byte is padded with 0 (it lands in the low half)
        var v = new short[n];
        for (int i = 0; i < n; i++)
        {
            int hi = bytes[i];
            int lo = n + i < bytes.Length ? bytes[n + i] : 0;
            v[i] = (short)((hi << 8) | lo);
        }
        if (n < 2) return v;
        short x = v[0], y = v[1], last = first;
        for (int i = 2; i < n; i++)
        {
            short z = (short)(y + y - x - last);
            last = (short)(v[i] - 64);
            v[i] = z;
            x = y;
            y = z;
        }
        return v;
    }

    /// <summary>
    /// Reusable LZW state. Every table string (code ≥ 256) is a previous string plus one byte, and it already occurs
    /// contiguously in the output: at the offset where the previous string was emitted, one byte longer. So the table is
    /// just (offset, length) pairs and each code is a block copy from earlier output, no prefix-chain walk.
    /// </summary>
    private sealed class LzwScratch
    {
        private readonly int[] _offset = new int[MaxCode + 1];
        private readonly int[] _length = new int[MaxCode + 1];
        public byte[] Output = new byte[16384];

        public int Decompress(ReadOnlySpan<byte> input, int maxBytes, string source, int blockIndex)
        {
            int nextCode = 256;
            int outLen = 0;
            int previous = -1, previousOffset = 0, previousLength = 0;
            uint bitBuffer = 0;
            int bitCount = 0;
            int pos = 0;
            while (true)
            {
                // Refill to more than 24 bits, MSB first, exactly as the reference reader.
                while (bitCount <= 24 && pos < input.Length)
                {
                    bitBuffer |= (uint)input[pos++] << (24 - bitCount);
                    bitCount += 8;
                }
                if (bitCount < Bits) break;
                int code = (int)(bitBuffer >> (32 - Bits));
                bitBuffer <<= Bits;
                bitCount -= Bits;
                if (code > MaxCode) break; // end-of-data code

                int length;
                if (code < 256) length = 1;
                else if (code < nextCode) length = _length[code];
                else if (code == nextCode && previous >= 0) length = previousLength + 1; // KwKwK: previous + its first byte
                else throw new EcgFormatException(source, $"Philips XLI: block {blockIndex}: invalid LZW code {code} (next free code {nextCode})");
                if (outLen + length > maxBytes)
                    throw new EcgFormatException(source, $"Philips XLI: block {blockIndex} decompresses to more than {maxBytes} bytes");
                if (outLen + length > Output.Length)
                    Array.Resize(ref Output, Math.Max(outLen + length, Math.Min(maxBytes, 2 * Output.Length)));

                int start = outLen;
                if (code < 256)
                {
                    Output[outLen] = (byte)code;
                }
                else if (code < nextCode)
                {
                    Output.AsSpan(_offset[code], length).CopyTo(Output.AsSpan(outLen));
                }
                else
                {
                    Output.AsSpan(previousOffset, previousLength).CopyTo(Output.AsSpan(outLen));
                    Output[outLen + previousLength] = Output[previousOffset];
                }
                outLen += length;

                // New entry: previous string followed by this string's first byte, which is exactly the output
                // starting at the previous string's offset, one byte longer.
                if (previous >= 0 && nextCode <= MaxCode)
                {
                    _offset[nextCode] = previousOffset;
                    _length[nextCode] = previousLength + 1;
                    nextCode++;
                }
                previous = code;
                previousOffset = start;
                previousLength = length;
            }
            return outLen;
        }
    }
}
