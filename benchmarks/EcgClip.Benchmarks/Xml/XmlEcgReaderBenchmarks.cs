using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Formats.Xml.Philips;

namespace EcgClip.Benchmarks.Xml;

/// <summary>
/// Whole-file reads of the three vendor XML dialects from memory (10 s, 12 leads, 500 Hz each), and the Philips XLI
/// decompression alone. Inputs are the shared example files (../shared/data beside the repository, or
/// ECGCLIP_SHARED_DATA); they are loaded once in setup so only parsing is timed.
/// </summary>
[MemoryDiagnoser]
public class XmlEcgReaderBenchmarks
{
    private byte[] _muse = [];
    private byte[] _philips = [];
    private byte[] _aecg = [];
    private byte[] _xli = [];

    /// <summary>Loads the example files.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string data = SharedData();
        _muse = File.ReadAllBytes(Path.Combine(data, "ge_muse_xml_egm", "muse-sinus.xml"));
        _philips = File.ReadAllBytes(Path.Combine(data, "philips_xml_sierraecg", "fixtures", "1_04", "3191723_ZZDEMOPTONLY_1-04_orig.xml"));
        _aecg = File.ReadAllBytes(Path.Combine(data, "ecgtoolkit_examples", "Example.xml"));
        string text = File.ReadAllText(Path.Combine(data, "philips_xml_sierraecg", "fixtures", "1_03", "129DYPRG.XML"));
        var m = Regex.Match(text, "<parsedwaveforms[^>]*>([^<]*)<");
        _xli = Convert.FromBase64String(m.Groups[1].Value);
    }

    /// <summary>Philips XLI: LZW + second-difference decoding of 16 blocks (12 leads × 5500 samples), no XML.</summary>
    [Benchmark(Baseline = true)]
    public int XliDecode() => XliDecoder.Decode(_xli, 5500 + 16, 64, "bench").Count;

    /// <summary>GE MUSE XML (146 KB): rhythm + median, 8 stored leads, 4 derived.</summary>
    [Benchmark]
    public int ReadMuse() => XmlEcgReader.ReadDetailed(new MemoryStream(_muse), "muse.xml").Record.SampleCount;

    /// <summary>Philips XML 1.04 (234 KB, UTF-16): XLI rhythm + repbeats.</summary>
    [Benchmark]
    public int ReadPhilips() => XmlEcgReader.ReadDetailed(new MemoryStream(_philips), "philips.xml").Record.SampleCount;

    /// <summary>HL7 aECG (505 KB): decimal digit lists, rhythm + representative beat.</summary>
    [Benchmark]
    public int ReadAecg() => XmlEcgReader.ReadDetailed(new MemoryStream(_aecg), "aecg.xml").Record.SampleCount;

    private static string SharedData()
    {
        if (Environment.GetEnvironmentVariable("ECGCLIP_SHARED_DATA") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EcgClip.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        throw new InvalidOperationException("shared data not found: set ECGCLIP_SHARED_DATA or run inside the repository");
    }
}
