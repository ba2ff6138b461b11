using System.Text;
using EcgClip.Signal.Formats;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;
using EcgClip.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>
/// Mutated, truncated and random WFDB / CinC inputs produce only <see cref="EcgFormatException"/> (or a valid record):
/// no other exception type, no hang, no allocation driven by header-declared sizes beyond the real file length.
/// </summary>
public sealed class WfdbFuzzTests : IClassFixture<WfdbFuzzTests.Corpus>
{
    /// <summary>A temp folder with copies of sample records; each mutation is written beside them under a fresh name.</summary>
    public sealed class Corpus : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("ecgclip-wfdb-fuzz-").FullName;
        public (string Name, string Header)[] Headers { get; }

        public Corpus()
        {
            string samples = TestPaths.Fixture("wfdb_python_samples", "sample-data");
            string[] data = ["test01_00s.dat", "binformats.d0", "binformats.d1", "binformats.d2", "binformats.d3", "binformats.d4",
                             "binformats.d5", "binformats.d6", "binformats.d7", "binformats.d8", "binformats.d9", "310derive.dat", "311derive.dat"];
            foreach (var f in data) File.Copy(Path.Combine(samples, f), Path.Combine(Dir, f));
            File.Copy(TestPaths.PtbXl("records100", "00000", "00001_lr.dat"), Path.Combine(Dir, "00001_lr.dat"));
            File.Copy(TestPaths.Fixture("cinc2021_samples", "E07500.mat"), Path.Combine(Dir, "E07500.mat"));
            foreach (var f in Directory.GetFiles(Path.Combine(samples, "multi-segment", "041s"))) File.Copy(f, Path.Combine(Dir, Path.GetFileName(f)));
            var headers = new List<(string, string)>();
            foreach (var h in new[] { "test01_00s_skewframe", "binformats", "310derive", "311derive" })
                headers.Add((h, File.ReadAllText(Path.Combine(samples, h + ".hea"))));
            headers.Add(("00001_lr", File.ReadAllText(TestPaths.PtbXl("records100", "00000", "00001_lr.hea"))));
            headers.Add(("E07500", File.ReadAllText(TestPaths.Fixture("cinc2021_samples", "E07500.hea"))));
            headers.Add(("041s01", File.ReadAllText(Path.Combine(samples, "multi-segment", "041s", "041s01.hea"))));
            headers.Add(("041s", File.ReadAllText(Path.Combine(samples, "multi-segment", "041s", "041s.hea"))));
            Headers = [.. headers];
        }

        public void Dispose()
        {
            try { Directory.Delete(Dir, true); } catch (IOException) { }
        }
    }

    private readonly Corpus _corpus;

    public WfdbFuzzTests(Corpus corpus) => _corpus = corpus;

    private static readonly string[] s_tokens =
        ["0", "-1", "1", "99999999999", "4294967296", "2147483647", "-2147483648", "1e308", "1e999", "nan", "x", "~", "..", "/etc/passwd",
         "16", "212", "8", "310", "311", "24", "32", "61", "80", "160", "516", "16x0", "16x100000", "212:999999999", "16+999999999999",
         "16+24", "212x4", "0(0)/mV", "200(-99999999999)/mV", "a/b", "100/0", "~ 1000000000000", "#", "", "\t", "041s01 0"];

    private static string Mutate(string text, Random rng)
    {
        var lines = text.Replace("\r", "").Split('\n').ToList();
        int ops = rng.Next(1, 4);
        for (int o = 0; o < ops && lines.Count > 0; o++)
        {
            int li = rng.Next(lines.Count);
            var tok = lines[li].Split(' ').ToList();
            switch (rng.Next(8))
            {
                case 0: tok[rng.Next(tok.Count)] = s_tokens[rng.Next(s_tokens.Length)]; break;
                case 1: if (tok.Count > 1) tok.RemoveAt(rng.Next(tok.Count)); break;
                case 2: lines.RemoveAt(li); continue;
                case 3: lines.Insert(li, lines[li]); continue;
                case 4:
                    {
                        var chars = lines[li].ToCharArray();
                        if (chars.Length > 0) chars[rng.Next(chars.Length)] = (char)rng.Next(0, 256);
                        lines[li] = new string(chars);
                        continue;
                    }
                case 5: tok.Insert(rng.Next(tok.Count + 1), s_tokens[rng.Next(s_tokens.Length)]); break;
                case 6: lines[li] = lines[li][..rng.Next(lines[li].Length + 1)]; continue;
                default: tok[rng.Next(tok.Count)] = rng.Next(-100000, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture); break;
            }
            lines[li] = string.Join(' ', tok);
        }
        return string.Join('\n', lines);
    }

    private static void ReadOnlyFormatErrors(Func<object?> read)
    {
        try { read(); }
        catch (EcgFormatException) { }
    }

    [Property(MaxTest = 1500)]
    public Property Read_MutatedHeader_OnlyEcgFormatException(int seed, NonNegativeInt which)
    {
        var rng = new Random(seed);
        var (name, text) = _corpus.Headers[which.Get % _corpus.Headers.Length];
        string mutated = Mutate(text, rng);
        string path = Path.Combine(_corpus.Dir, $"m{Environment.CurrentManagedThreadId}_{name}.hea");
        File.WriteAllText(path, mutated, Encoding.Latin1);
        ReadOnlyFormatErrors(() => WfdbReader.Read(path));
        ReadOnlyFormatErrors(() => WfdbReader.Read(path, new WfdbReadOptions { HighResolution = true, Checksums = WfdbChecksumPolicy.Warn }));
        return true.ToProperty();
    }

    [Property(MaxTest = 700)]
    public Property Read_TruncatedOrFlippedSignalFile_OnlyEcgFormatException(int seed, NonNegativeInt which)
    {
        var rng = new Random(seed);
        var (name, text) = _corpus.Headers[which.Get % (_corpus.Headers.Length - 1)]; // single-segment ones
        string sub = Path.Combine(_corpus.Dir, $"d{Environment.CurrentManagedThreadId}");
        Directory.CreateDirectory(sub);
        var header = WfdbHeaderParser.Parse(text, name);
        foreach (var file in header.Signals.Select(s => s.FileName).Distinct())
        {
            var bytes = File.ReadAllBytes(Path.Combine(_corpus.Dir, file));
            if (rng.Next(2) == 0) bytes = bytes[..rng.Next(bytes.Length + 1)];
            for (int k = rng.Next(4); k > 0 && bytes.Length > 0; k--) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(Path.Combine(sub, file), bytes);
        }
        File.WriteAllText(Path.Combine(sub, name + ".hea"), text);
        ReadOnlyFormatErrors(() => WfdbReader.Read(Path.Combine(sub, name)));
        return true.ToProperty();
    }

    [Property(MaxTest = 700)]
    public Property Read_RandomBytes_OnlyEcgFormatException(byte[] content, NonNegativeInt ext)
    {
        string[] exts = [".hea", ".dat", ".mat", "", ".bin"];
        string e = exts[ext.Get % exts.Length];
        if (content.Length > 0 && content[0] == (byte)'<') content[0] = (byte)'#'; // XML content belongs to the XML readers' fuzz tests
        string path = Path.Combine(_corpus.Dir, $"r{Environment.CurrentManagedThreadId}{e}");
        File.WriteAllBytes(path, content);
        if (e == ".dat" || e == ".mat") File.WriteAllText(Path.ChangeExtension(path, ".hea"), $"r{Environment.CurrentManagedThreadId} 2 500 1000\n{Path.GetFileName(path)} 16+{content.Length % 30} 1000 16 0 0 0 0 I\n{Path.GetFileName(path)} 16 1000 16 0 0 0 0 II\n");
        ReadOnlyFormatErrors(() => EcgReader.Read(path));
        return true.ToProperty();
    }

    [Fact]
    public void Read_HugeDeclaredLength_RejectedBeforeAllocating()
    {
        string path = Path.Combine(_corpus.Dir, "huge.hea");
        File.WriteAllText(path, "huge 12 500 1000000000000\n" + string.Concat(Enumerable.Repeat("00001_lr.dat 16 1000.0(0)/mV 16 0 0 0 0 I\n", 12)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<EcgFormatException>(() => WfdbReader.Read(path));
        Assert.Contains("truncated", ex.Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Read_HugeNullSegment_RejectedBeforeAllocating()
    {
        string path = Path.Combine(_corpus.Dir, "hugeseg.hea");
        File.WriteAllText(path, "hugeseg/2 7 125 1000000001000\n041s01 1000\n~ 1000000000000\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<EcgFormatException>(() => WfdbReader.Read(path));
        Assert.Contains("limit", ex.Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }
}
