using System.Security.Cryptography;
using EcgClip.Core.Native;
using FsCheck;
using FsCheck.Fluent;

namespace EcgClip.Core.Tests.Native;

public sealed class ElfPatcherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The libLibTorchSharp.so that TorchSharp-cpu put beside this test assembly.</summary>
    internal static string RealTorchSharpLibrary()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchNativeLoader.TorchSharpNativeName);
        Assert.True(File.Exists(path), $"expected TorchSharp's native library at {path}");
        return path;
    }

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void ReadVersionNeeds_RealLibrary_NeedsGlibcxx332Strictly()
    {
        var needs = ElfVersionInfo.ReadVersionNeeds(RealTorchSharpLibrary());
        var need = Assert.Single(needs, n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.9"); // an ordinary need stays as it is
    }

    [Fact]
    public void MakeWeak_RealLibraryCopy_PatchesOnlyThatEntryAndLeavesSourceUntouched()
    {
        string source = RealTorchSharpLibrary();
        string before = Sha(source);
        string dest = Path.Combine(_dir, "patched.so");

        var outcome = ElfVersionPatcher.MakeWeak(source, dest, "libstdc++.so.6", "GLIBCXX_3.4.32");

        Assert.Equal(ElfPatchOutcome.Patched, outcome);
        Assert.Equal(before, Sha(source));
        byte[] a = File.ReadAllBytes(source), b = File.ReadAllBytes(dest);
        Assert.Equal(a.Length, b.Length);
        var diffs = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
        var need = ElfVersionInfo.ReadVersionNeeds(dest).Single(n => n.Version == "GLIBCXX_3.4.32");
        Assert.True(need.IsWeak);
        Assert.Equal([(int)need.FlagsOffset], diffs); // exactly the low byte of vna_flags changed
        var othersBefore = ElfVersionInfo.ReadVersionNeeds(source).Where(n => n.Version != "GLIBCXX_3.4.32");
        var othersAfter = ElfVersionInfo.ReadVersionNeeds(dest).Where(n => n.Version != "GLIBCXX_3.4.32");
        Assert.Equal(othersBefore, othersAfter);
        Assert.Empty(Directory.EnumerateFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void MakeWeak_AlreadyPatched_IsIdempotent()
    {
        string first = Path.Combine(_dir, "first.so"), second = Path.Combine(_dir, "second.so");
        ElfVersionPatcher.MakeWeak(RealTorchSharpLibrary(), first, "libstdc++.so.6", "GLIBCXX_3.4.32");

        var outcome = ElfVersionPatcher.MakeWeak(first, second, "libstdc++.so.6", "GLIBCXX_3.4.32");

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, outcome);
        Assert.Equal(Sha(first), Sha(second));
    }

    [Fact]
    public void MakeWeak_EntryAbsent_IsNoOpAndWritesNothing()
    {
        string dest = Path.Combine(_dir, "none.so");
        Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionPatcher.MakeWeak(RealTorchSharpLibrary(), dest, "libstdc++.so.6", "GLIBCXX_9.9.99"));
        Assert.False(File.Exists(dest));
    }

    [Fact]
    public void MakeWeak_NoVersionNeedSection_IsNoOp()
    {
        // A minimal valid ELF64 header with no section headers at all.
        byte[] elf = new byte[64];
        elf[0] = 0x7f; elf[1] = (byte)'E'; elf[2] = (byte)'L'; elf[3] = (byte)'F'; elf[4] = 2; elf[5] = 1; elf[6] = 1;
        string src = Path.Combine(_dir, "bare.so"), dest = Path.Combine(_dir, "bare-out.so");
        File.WriteAllBytes(src, elf);
        Assert.Empty(ElfVersionInfo.ReadVersionNeeds(src));
        Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionPatcher.MakeWeak(src, dest, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.False(File.Exists(dest));
    }

    [Theory]
    [InlineData("text", "not an ELF")]
    [InlineData("truncated-header", "truncated ELF header")]
    [InlineData("32bit", "32-bit")]
    [InlineData("truncated-body", "beyond the end of the file")]
    [InlineData("big-endian", "big-endian")]
    public void MakeWeak_CraftedBadInput_ThrowsClearErrorAndWritesNothing(string kind, string expected)
    {
        byte[] real = File.ReadAllBytes(RealTorchSharpLibrary());
        byte[] input = kind switch
        {
            "text" => "#!/bin/sh\necho not a library\n"u8.ToArray(),
            "truncated-header" => real[..40],
            "32bit" => WithByte(real, 4, 1),
            "truncated-body" => real[..(real.Length / 2)],
            "big-endian" => WithByte(real, 5, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        string src = Path.Combine(_dir, kind + ".so"), dest = Path.Combine(_dir, kind + "-out.so");
        File.WriteAllBytes(src, input);

        var ex = Assert.Throws<ElfFormatException>(() => ElfVersionPatcher.MakeWeak(src, dest, "libstdc++.so.6", "GLIBCXX_3.4.32"));

        Assert.Contains(expected, ex.Message);
        Assert.Contains(src, ex.Message);
        Assert.False(File.Exists(dest));
        Assert.Equal(input, File.ReadAllBytes(src));
    }

    private static byte[] WithByte(byte[] data, int index, byte value)
    {
        var copy = (byte[])data.Clone();
        copy[index] = value;
        return copy;
    }

    /// <summary>Random byte mutations of a small real library only ever give a result or <see cref="ElfFormatException"/>.</summary>
    [Fact]
    public void ReadVersionNeeds_MutatedInputs_OnlyElfFormatException()
    {
        string small = new[] { "/lib/x86_64-linux-gnu/libdl.so.2", "/usr/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libz.so.1" }
            .FirstOrDefault(File.Exists) ?? RealTorchSharpLibrary();
        byte[] original = File.ReadAllBytes(small);
        var gen =
            from count in Gen.Choose(1, 16)
            from positions in Gen.ArrayOf(Gen.Choose(0, original.Length - 1), count)
            from values in Gen.ArrayOf(Gen.Choose(0, 255), count)
            from cut in Gen.Frequency((3, Gen.Constant(original.Length)), (1, Gen.Choose(0, original.Length)))
            select (positions, values, cut);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            byte[] data = (byte[])original.Clone();
            for (int i = 0; i < t.positions.Length; i++) data[t.positions[i]] = (byte)t.values[i];
            data = data[..t.cut];
            try
            {
                ElfVersionInfo.ReadVersionNeeds(data, "mutated");
                ElfVersionInfo.ReadSections(data, "mutated");
            }
            catch (ElfFormatException)
            {
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }
}
