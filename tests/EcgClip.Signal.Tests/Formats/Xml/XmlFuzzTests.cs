using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Formats.Xml.Philips;
using EcgClip.Signal.Records;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>One edit of a document: what to do, where, how much, and with which token or byte.</summary>
public sealed record Mutation(int Kind, int Position, int Length, int Token, byte Value);

/// <summary>FsCheck generators for document mutations.</summary>
public static class MutationArbitrary
{
    /// <summary>1–4 mutations, each positioned anywhere (positions are taken modulo the document length).</summary>
    public static Arbitrary<Mutation[]> Mutations()
    {
        var one = from kind in Gen.Choose(0, 6)
                  from pos in Gen.Choose(0, int.MaxValue)
                  from len in Gen.Choose(1, 64)
                  from token in Gen.Choose(0, XmlFuzzTests.Tokens.Length - 1)
                  from value in Gen.Choose(0, 255)
                  select new Mutation(kind, pos, len, token, (byte)value);
        return Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(one, n)).ToArbitrary();
    }
}

/// <summary>
/// Thousands of mutated, truncated or random inputs per dialect produce either a record or an
/// <see cref="EcgFormatException"/> — never another exception, never the reader's "unexpected" safety net,
/// within bounded time and allocation.
/// </summary>
public sealed class XmlFuzzTests
{
    internal static readonly string[] Tokens =
    [
        "<", ">", "&", "&amp;", "&#0;", "&#xD800;", "&lol;", "]]>", "<![CDATA[x]]>", "<!-- c -->", "\"", "'",
        "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "<?pi x?>",
        "-1", "0", "2147483647", "-2147483648", "99999999999999999999", "1e308", "NaN", "-Infinity", "0.0000001",
        "AAAA", "====", "////", "\u00ff", "\uFEFF", " ", "\n",
        "</LeadData>", "<LeadData>", "<Waveform>", "</WaveformType>", "Median", "Rhythm", "MICROVOLTS", "ENDSLINE",
        "<repbeat leadname=\"I\">", "XLI", "leadlabels=\"I I\"", "durationperchannel=\"0\"", "</parsedwaveforms>",
        "<component>", "</sequence>", "MDC_ECG_LEAD_I", "SLIST_PQ", "unit=\"ms\"", "<digits>", "</digits>",
    ];

    private static readonly byte[] MuseSeed = Encoding.Latin1.GetBytes(XmlTestDocuments.Muse());
    private static readonly byte[] PhilipsSeed = Encoding.UTF8.GetBytes(XmlTestDocuments.Philips());
    private static readonly byte[] AecgSeed = Encoding.UTF8.GetBytes(XmlTestDocuments.Aecg());

    internal static byte[] Apply(byte[] seed, Mutation[] mutations)
    {
        var doc = new List<byte>(seed);
        foreach (var m in mutations)
        {
            int n = doc.Count;
            int p = n == 0 ? 0 : (int)((uint)m.Position % (uint)n);
            switch (m.Kind)
            {
                case 0: // truncate
                    doc.RemoveRange(p, n - p);
                    break;
                case 1: // overwrite bytes
                    for (int i = 0; i < Math.Min(m.Length % 5 + 1, n - p); i++) doc[p + i] = (byte)(m.Value + 31 * i);
                    break;
                case 2: // delete a range
                    doc.RemoveRange(p, Math.Min(m.Length, n - p));
                    break;
                case 3: // insert a token
                    doc.InsertRange(p, Encoding.UTF8.GetBytes(Tokens[m.Token]));
                    break;
                case 4: // replace the number that follows p with a token
                    {
                        int s = p;
                        while (s < n && !char.IsAsciiDigit((char)doc[s])) s++;
                        int e = s;
                        while (e < n && (char.IsAsciiDigit((char)doc[e]) || doc[e] == '.')) e++;
                        doc.RemoveRange(s, e - s);
                        doc.InsertRange(s, Encoding.UTF8.GetBytes(Tokens[m.Token]));
                        break;
                    }
                case 5: // duplicate a range
                    {
                        int len = Math.Min(m.Length * 8, n - p);
                        doc.InsertRange(p, doc.GetRange(p, len));
                        break;
                    }
                default: // swap two bytes
                    {
                        if (n == 0) break;
                        int q = (p + m.Length) % n;
                        (doc[p], doc[q]) = (doc[q], doc[p]);
                        break;
                    }
            }
        }
        return doc.ToArray();
    }

    /// <summary>Runs the reader and returns true when it returned a record or threw a typed, expected format error.</summary>
    internal static bool ReadsOrRefusesCleanly(byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        try
        {
            var ecg = XmlEcgReader.ReadDetailed(new MemoryStream(input), "fuzz.xml");
            if (ecg.Record.Channels.Count != 12) return false;
        }
        catch (EcgFormatException e)
        {
            if (e.Reason.StartsWith(XmlEcgReader.UnexpectedPrefix, StringComparison.Ordinal) || e.Path != "fuzz.xml")
                throw new InvalidOperationException("reader safety net hit: " + e.Message, e);
        }
        if (sw.Elapsed > TimeSpan.FromSeconds(2)) throw new TimeoutException($"one small input took {sw.Elapsed}");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > 32L << 20) throw new InvalidOperationException($"one small input allocated {allocated} bytes");
        return true;
    }

    [Fact]
    public void Seeds_AreValidDocuments()
    {
        foreach (var seed in new[] { MuseSeed, PhilipsSeed, AecgSeed })
        {
            var ecg = XmlEcgReader.ReadDetailed(new MemoryStream(seed), "seed.xml");
            Assert.Equal(12, ecg.Record.Channels.Count);
            Assert.Equal(500.0, ecg.Record.SamplingRate);
        }
    }

    [Property(MaxTest = 2000, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_MutatedMuse_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(Apply(MuseSeed, mutations));

    [Property(MaxTest = 2000, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_MutatedPhilips_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(Apply(PhilipsSeed, mutations));

    [Property(MaxTest = 2000, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_MutatedAecg_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(Apply(AecgSeed, mutations));

    internal static readonly string[] Values =
    [
        "", " ", "-1", "0", "1", "2", "3", "7", "16", "64", "1023", "65536", "1000000000", "2147483647", "-2147483648",
        "99999999999999", "1e308", "-1e308", "NaN", "Infinity", "0.0001", "-0.5", "4.88", "abc", "\u00e9",
        "I", "II", "V7", "aVR", "AVF", "MDC_ECG_LEAD_V3R", "MDC_ECG_LEAD_II", "TIME_RELATIVE", "MICROVOLTS", "MILLIVOLTS", "FURLONGS",
        "XLI", "Uncompressed", "Base64", "Hex", "True", "False", "ms", "s", "h", "uV", "mV", "kV", "SLIST_INT", "GLIST_TS", "SLIST_REAL", "ST",
        "ENDSLINE", "Rhythm", "Median", "RHYTHM", "REPRESENTATIVE_BEAT", "20201301", "20200102081500+9999", "00010101000000+1400",
        "I II III", "I I I I I I I I I I I I", "AAAA", "AAAAAAAAAAAAAAAAAAAA", "=", "@@@@", "1.05", "1.04.99", "PhilipsECG", "SierraECG",
        "MONTHS", "DAYS", "a", "mo", "1 2 3 x", "1 2 3 4.5 6",
    ];

    private static readonly XElement MuseTree = XElement.Parse(XmlTestDocuments.Muse().Split("restecg.dtd\">")[1]);
    private static readonly XElement PhilipsTree = XElement.Parse(XmlTestDocuments.Philips().Split("?>")[1]);
    private static readonly XElement AecgTree = XElement.Parse(XmlTestDocuments.Aecg().Split("?>")[1]);

    /// <summary>Edits that keep the XML well-formed so that the dialect parsers (not just the XML parser) are exercised.</summary>
    internal static byte[] ApplyStructural(XElement seed, Mutation[] mutations)
    {
        var root = new XElement(seed);
        foreach (var m in mutations)
        {
            var elements = root.DescendantsAndSelf().ToList();
            var e = elements[(int)((uint)m.Position % (uint)elements.Count)];
            string value = Values[m.Token % Values.Length];
            switch (m.Kind)
            {
                case 0: // set a leaf's text
                    if (!e.HasElements) e.Value = value;
                    break;
                case 1: // set an attribute
                    {
                        var attrs = e.Attributes().Where(a => !a.IsNamespaceDeclaration).ToList();
                        if (attrs.Count > 0) attrs[m.Length % attrs.Count].Value = value;
                        break;
                    }
                case 2: // remove an element
                    if (e != root) e.Remove();
                    break;
                case 3: // duplicate an element
                    if (e != root) e.AddAfterSelf(new XElement(e));
                    break;
                case 4: // truncate a leaf's text
                    if (!e.HasElements && e.Value.Length > 0) e.Value = e.Value[..(m.Length % e.Value.Length)];
                    break;
                case 5: // valid base64 of random bytes (garbage waveform / XLI data)
                    if (!e.HasElements)
                    {
                        var rnd = new Random(m.Position);
                        var bytes = new byte[m.Length * 3 + m.Value];
                        rnd.NextBytes(bytes);
                        if (m.Value % 2 == 0 && bytes.Length >= 8) { bytes[0] = (byte)(bytes.Length - 8); bytes[1] = bytes[2] = bytes[3] = 0; }
                        e.Value = Convert.ToBase64String(bytes);
                    }
                    break;
                default: // flip one byte inside valid base64 data
                    if (!e.HasElements && e.Value.Length > 16 && !e.Value.Contains(' '))
                    {
                        try
                        {
                            var bytes = Convert.FromBase64String(e.Value);
                            bytes[m.Length % bytes.Length] ^= (byte)(1 << (m.Value % 8));
                            e.Value = Convert.ToBase64String(bytes);
                        }
                        catch (FormatException) { }
                    }
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting));
    }

    [Property(MaxTest = 2000, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_StructurallyMutatedMuse_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(ApplyStructural(MuseTree, mutations));

    [Property(MaxTest = 2000, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_StructurallyMutatedPhilips_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(ApplyStructural(PhilipsTree, mutations));

    [Property(MaxTest = 2000, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_StructurallyMutatedAecg_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(ApplyStructural(AecgTree, mutations));

    private static readonly Lazy<byte[]> RealMuse = new(() => File.ReadAllBytes(EcgClip.Testing.TestPaths.Shared("ge_muse_xml_egm", "muse-sinus.xml")));
    private static readonly Lazy<byte[]> RealPhilips = new(() => File.ReadAllBytes(EcgClip.Testing.TestPaths.Fixture("philips_xml_sierraecg", "fixtures", "1_04", "3191723_ZZDEMOPTONLY_1-04_orig.xml")));

    [SharedDataProperty("ge_muse_xml_egm/muse-sinus.xml", MaxTest = 200, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_MutatedRealMuseFile_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(Apply(RealMuse.Value, mutations));

    [Property(MaxTest = 200, Arbitrary = [typeof(MutationArbitrary)])]
    public bool Read_MutatedRealPhilipsUtf16File_OnlyEcgFormatException(Mutation[] mutations) => ReadsOrRefusesCleanly(Apply(RealPhilips.Value, mutations));

    [Property(MaxTest = 1000)]
    public bool Read_RandomBytes_OnlyEcgFormatException(byte[] bytes, bool withHeader)
    {
        byte[] input = withHeader ? [.. Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><restingecgdata>"), .. bytes] : bytes;
        return ReadsOrRefusesCleanly(input);
    }

    [Property(MaxTest = 1000)]
    public bool XliDecode_RandomBytes_OnlyEcgFormatException(byte[] bytes)
    {
        try
        {
            var leads = XliDecoder.Decode(bytes, 4096, 64, "fuzz.xli");
            return leads.All(l => l.Length <= 4096 + 1);
        }
        catch (EcgFormatException)
        {
            return true;
        }
    }

    [Property(MaxTest = 300)]
    public bool XliDecode_EncodedSignal_RoundTrips(short[] signal)
    {
        if (signal.Length < 3) return true;
        var decoded = XliDecoder.Decode(XmlTestDocuments.XliEncode(signal), signal.Length + 1, 1, "roundtrip.xli");
        return decoded.Count == 1 && decoded[0].AsSpan(0, signal.Length).SequenceEqual(signal);
    }
}

/// <summary>An FsCheck property over non-redistributable shared data; skipped, with the reason, when the data is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    public SharedDataPropertyAttribute(string relativePath)
    {
        if (EcgClip.Testing.SharedDataReason.For(relativePath) is { } reason) Skip = reason;
    }
}
