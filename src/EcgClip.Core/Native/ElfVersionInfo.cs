using System.Buffers.Binary;
using System.Text;

namespace EcgClip.Core.Native;

/// <summary>One <c>Elf64_Vernaux</c> entry: a version that a shared object needs from one of its dependencies.</summary>
/// <param name="File">The dependency's soname, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">The <c>vna_flags</c> field; bit 2 (<see cref="ElfVersionInfo.VerFlagWeak"/>) marks a weak need.</param>
/// <param name="FlagsOffset">Byte offset of <c>vna_flags</c> in the file (where a patch writes).</param>
public sealed record ElfVersionNeed(string File, string Version, ushort Flags, long FlagsOffset)
{
    /// <summary>True when the need is weak: a missing version is then only noted by the dynamic loader.</summary>
    public bool IsWeak => (Flags & ElfVersionInfo.VerFlagWeak) != 0;
}

/// <summary>
/// Minimal, bounds-checked reader of the GNU symbol-versioning sections of an ELF64 little-endian file:
/// <c>.gnu.version_r</c> (versions needed) and <c>.gnu.version_d</c> (versions defined).
/// Only what the native loader needs; every offset is validated before it is used, so truncated or
/// crafted files give <see cref="ElfFormatException"/>, never an out-of-range read.
/// </summary>
public static class ElfVersionInfo
{
    /// <summary><c>VER_FLG_WEAK</c> from elf.h.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const int Elf64HeaderSize = 64;
    private const int Elf64SectionHeaderSize = 64;
    // A verneed chain longer than this is treated as corrupt (real libraries have a handful).
    private const int MaxChainEntries = 1 << 16;

    /// <summary>Reads all version needs of the file at <paramref name="path"/>. Empty when it has no <c>.gnu.version_r</c>.</summary>
    public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(string path) => ReadVersionNeeds(File.ReadAllBytes(path), path);

    /// <summary>Reads all version needs from an in-memory image; <paramref name="path"/> only names it in errors.</summary>
    public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(ReadOnlySpan<byte> image, string path)
    {
        var sections = ReadSections(image, path);
        var result = new List<ElfVersionNeed>();
        foreach (var sec in sections)
        {
            if (sec.Type != ShtGnuVerneed) continue;
            var strtab = StringTable(image, sections, sec, path);
            long vn = sec.Offset;
            int guard = 0;
            for (ulong i = 0; i < Math.Max(sec.Info, 1UL); i++)
            {
                Require(image, vn, 16, path, ".gnu.version_r entry");
                var e = image.Slice((int)vn, 16);
                ushort vnCnt = BinaryPrimitives.ReadUInt16LittleEndian(e[2..]);
                uint vnFile = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                uint vnAux = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
                uint vnNext = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
                string file = ReadString(image, strtab, vnFile, path);
                long aux = vn + vnAux;
                for (int j = 0; j < vnCnt; j++)
                {
                    if (++guard > MaxChainEntries) throw new ElfFormatException(path, "version-need chain does not terminate");
                    Require(image, aux, 16, path, ".gnu.version_r aux entry");
                    var a = image.Slice((int)aux, 16);
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(a[4..]);
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(a[8..]);
                    uint next = BinaryPrimitives.ReadUInt32LittleEndian(a[12..]);
                    result.Add(new ElfVersionNeed(file, ReadString(image, strtab, name, path), flags, aux + 4));
                    if (next == 0) break;
                    aux += next;
                }
                if (vnNext == 0) break;
                vn += vnNext;
            }
        }
        return result;
    }

    /// <summary>Reads the version names a library defines (e.g. every <c>GLIBCXX_3.4.N</c> of libstdc++).</summary>
    public static IReadOnlyList<string> ReadVersionDefinitions(string path)
    {
        var image = File.ReadAllBytes(path);
        var sections = ReadSections(image, path);
        var result = new List<string>();
        foreach (var sec in sections)
        {
            if (sec.Type != ShtGnuVerdef) continue;
            var strtab = StringTable(image, sections, sec, path);
            long vd = sec.Offset;
            for (int guard = 0; guard < MaxChainEntries; guard++)
            {
                Require(image, vd, 20, path, ".gnu.version_d entry");
                var e = image.AsSpan((int)vd, 20);
                ushort cnt = BinaryPrimitives.ReadUInt16LittleEndian(e[6..]);
                uint auxOff = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(e[16..]);
                if (cnt > 0)
                {
                    long aux = vd + auxOff;
                    Require(image, aux, 8, path, ".gnu.version_d aux entry");
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)aux, 4));
                    result.Add(ReadString(image, strtab, name, path));
                }
                if (next == 0) break;
                vd += next;
            }
        }
        return result;
    }

    internal readonly record struct Section(uint Type, long Offset, long Size, uint Link, ulong Info);

    internal static List<Section> ReadSections(ReadOnlySpan<byte> image, string path)
    {
        if (image.Length < 4 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new ElfFormatException(path, "no ELF magic number (not an ELF file)");
        if (image.Length < Elf64HeaderSize)
            throw new ElfFormatException(path, $"truncated ELF header ({image.Length} bytes)");
        if (image[4] != 2)
            throw new ElfFormatException(path, image[4] == 1 ? "32-bit ELF (ELFCLASS32); only ELF64 is supported" : $"unknown ELF class {image[4]}");
        if (image[5] != 1)
            throw new ElfFormatException(path, "big-endian ELF; only little-endian is supported");
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(image[0x28..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3A..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3C..]);
        if (shnum == 0) return [];
        if (shentsize != Elf64SectionHeaderSize)
            throw new ElfFormatException(path, $"section header size {shentsize} is not {Elf64SectionHeaderSize}");
        if (shoff < 0 || shoff > image.Length || (long)shnum * shentsize > image.Length - shoff)
            throw new ElfFormatException(path, "section header table lies beyond the end of the file (truncated?)");
        var list = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            var sh = image.Slice((int)(shoff + (long)i * shentsize), shentsize);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]);
            long off = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x20..]);
            uint link = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            ulong info = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]);
            list.Add(new Section(type, off, size, link, info));
        }
        return list;
    }

    private static Section StringTable(ReadOnlySpan<byte> image, List<Section> sections, Section owner, string path)
    {
        if (owner.Link >= sections.Count)
            throw new ElfFormatException(path, $"version section links to missing string table {owner.Link}");
        var s = sections[(int)owner.Link];
        if (s.Offset < 0 || s.Size < 0 || s.Offset > image.Length || s.Size > image.Length - s.Offset)
            throw new ElfFormatException(path, "string table lies beyond the end of the file (truncated?)");
        return s;
    }

    private static string ReadString(ReadOnlySpan<byte> image, Section strtab, uint offset, string path)
    {
        if (offset >= strtab.Size) throw new ElfFormatException(path, $"string offset {offset} outside the string table");
        var span = image.Slice((int)(strtab.Offset + offset), (int)(strtab.Size - offset));
        int end = span.IndexOf((byte)0);
        if (end < 0) throw new ElfFormatException(path, "unterminated string in string table");
        return Encoding.ASCII.GetString(span[..end]);
    }

    private static void Require(ReadOnlySpan<byte> image, long offset, int size, string path, string what)
    {
        if (offset < 0 || offset > image.Length - size)
            throw new ElfFormatException(path, $"{what} at offset {offset} lies beyond the end of the file (truncated?)");
    }
}
