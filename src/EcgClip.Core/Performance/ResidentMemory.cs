using System.Buffers.Text;

namespace EcgClip.Core.Performance;

/// <summary>
/// The process's resident set size (RSS: the physical memory it occupies, native and managed, code pages included),
/// as the trainer records it per step (<c>rss_mb</c> in <c>metrics.jsonl</c>). On Linux it reads the second field of
/// <c>/proc/self/statm</c> (resident pages × page size) into a stack buffer: one open, read and close, no managed
/// allocation but the file handle, a few microseconds. Elsewhere it is <see cref="Environment.WorkingSet"/>.
/// </summary>
public static class ResidentMemory
{
    private const string Statm = "/proc/self/statm";

    /// <summary>The resident set size in bytes, or null when the platform does not say.</summary>
    public static long? Bytes()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                using var handle = File.OpenHandle(Statm);
                Span<byte> text = stackalloc byte[128];
                int read = RandomAccess.Read(handle, text, 0);
                if (ParseResidentPages(text[..read]) is { } pages) return pages * Environment.SystemPageSize;
            }
            catch (IOException)
            {
                // no procfs (a sandbox): fall through to the portable value
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        long workingSet = Environment.WorkingSet;
        return workingSet > 0 ? workingSet : null;
    }

    /// <summary>The resident set size in MiB (2^20 bytes), or null when the platform does not say.</summary>
    public static double? Megabytes() => Bytes() is { } b ? b / (1024.0 * 1024.0) : null;

    /// <summary>The resident page count in a <c>statm</c> line (<c>size resident shared text lib data dt</c>), or null when malformed.</summary>
    internal static long? ParseResidentPages(ReadOnlySpan<byte> statm)
    {
        int space = statm.IndexOf((byte)' ');
        if (space <= 0) return null;
        var rest = statm[(space + 1)..];
        int end = rest.IndexOfAny((byte)' ', (byte)'\n');
        if (end < 0) end = rest.Length;
        return Utf8Parser.TryParse(rest[..end], out long pages, out int consumed) && consumed == end && pages >= 0 ? pages : null;
    }
}
