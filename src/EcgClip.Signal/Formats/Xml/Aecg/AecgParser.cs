using System.Globalization;
using System.Xml.Linq;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml.Aecg;

/// <summary>
/// HL7 v3 Annotated ECG (<c>&lt;AnnotatedECG xmlns="urn:hl7-org:v3"&gt;</c>). The rhythm is the first
/// <c>component/series</c> (preferring code <c>RHYTHM</c>), its first <c>sequenceSet</c>: a time sequence
/// (<c>TIME_ABSOLUTE</c>/<c>TIME_RELATIVE</c>, GLIST with <c>increment</c> in s or ms) and one <c>SLIST_PQ</c>
/// per lead (<c>MDC_ECG_LEAD_*</c>): value = origin + scale × digit, in the unit of <c>scale</c> (µV, mV, V).
/// Median beats come from <c>derivation/derivedSeries</c> with code <c>REPRESENTATIVE_BEAT</c>.
/// </summary>
internal static class AecgParser
{
    public const string RootName = "AnnotatedECG";
    public const string Namespace = "urn:hl7-org:v3";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static XmlEcg Parse(XElement root, string source)
    {
        XElement? series = null;
        foreach (var comp in root.Children("component"))
        {
            var s = comp.Child("series");
            if (s is null) continue;
            series ??= s;
            if (s.Child("code").Attr("code") == "RHYTHM") { series = s; break; }
        }
        if (series is null)
            throw new EcgFormatException(source, "HL7 aECG: no <component><series> element");
        var set = series.Path("component", "sequenceSet")
            ?? throw new EcgFormatException(source, "HL7 aECG: series has no <component><sequenceSet>");
        var (rate, channels) = ReadSequenceSet(set, source, "HL7 aECG rhythm");

        var metadata = ReadMetadata(root);
        var statements = ReadStatements(root);
        string name = System.IO.Path.GetFileNameWithoutExtension(source);
        var record = new EcgRecord(name, rate, channels, metadata, statements, sourcePath: source);

        EcgRecord? median = null;
        foreach (var der in series.Children("derivation"))
        {
            var ds = der.Child("derivedSeries");
            if (ds.Child("code").Attr("code") != "REPRESENTATIVE_BEAT") continue;
            var mset = ds.Path("component", "sequenceSet");
            if (mset is null) continue;
            var (mRate, mChannels) = ReadSequenceSet(mset, source, "HL7 aECG representative beat");
            median = new EcgRecord(name + "_median", mRate, mChannels, metadata, sourcePath: source);
            break;
        }
        return new XmlEcg(XmlEcgDialect.Hl7Aecg, record, median);
    }

    private static (double Rate, EcgChannel[] Channels) ReadSequenceSet(XElement set, string source, string what)
    {
        double? rate = null;
        var leads = new LeadSetBuilder(source, what);
        int count = 0;
        foreach (var comp in set.Children("component"))
        {
            var seq = comp.Child("sequence");
            if (seq is null) continue;
            if (++count > XmlLimits.MaxLeads) throw new EcgFormatException(source, $"{what}: more than {XmlLimits.MaxLeads} sequences");
            string code = seq.Child("code").Attr("code") ?? "";
            var value = seq.Child("value");
            if (value is null) continue;
            if (code.StartsWith("TIME_", StringComparison.Ordinal))
            {
                rate ??= ReadRate(value, source, what);
                continue;
            }
            if (!code.StartsWith("MDC_ECG_LEAD_", StringComparison.Ordinal) || !LeadNames.TryParse(code, out var lead))
                continue; // non-standard leads (V3R, X, ...) are not part of the 12
            string type = value.Attribute(Xsi + "type")?.Value ?? "SLIST_PQ"; // some writers omit xsi:type
            int colon = type.IndexOf(':');
            if (colon >= 0) type = type[(colon + 1)..]; // "v3:SLIST_PQ"
            if (type is not ("SLIST_PQ" or "SLIST_INT" or "SLIST_REAL"))
                throw new EcgFormatException(source, $"{what}: {code}: value type '{type}' not supported (SLIST_PQ expected)");
            double origin = XmlNav.ParseDouble(value.Child("origin").Attr("value")) ?? 0;
            double scale = XmlNav.ParseDouble(value.Child("scale").Attr("value")) ?? 1;
            string unit = value.Child("scale").Attr("unit") ?? value.Child("origin").Attr("unit") ?? (type == "SLIST_PQ" ? "uV" : "mV");
            double toMv = unit switch
            {
                "uV" or "µV" => 1e-3,
                "mV" => 1.0,
                "V" => 1e3,
                "nV" => 1e-6,
                _ => throw new EcgFormatException(source, $"{what}: {code}: unknown unit '{unit}'"),
            };
            if (!(scale != 0)) throw new EcgFormatException(source, $"{what}: {code}: scale is zero");
            string digits = value.Child("digits")?.Value
                ?? throw new EcgFormatException(source, $"{what}: {code}: no <digits>");
            var (ints, reals) = ParseDigits(digits, source, $"{what}: {code}");
            double baselineD = -origin / scale;
            if (ints is not null && scale > 0 && baselineD == Math.Round(baselineD) && Math.Abs(baselineD) < int.MaxValue)
            {
                leads.AddDigital(lead, code, ints, scale * toMv, (int)baselineD);
            }
            else
            {
                int n = ints?.Length ?? reals!.Length;
                var physical = new double[n];
                for (int i = 0; i < n; i++) physical[i] = (origin + scale * (ints is not null ? ints[i] : reals![i])) * toMv;
                leads.AddPhysical(lead, code, physical);
            }
        }
        if (rate is null) throw new EcgFormatException(source, $"{what}: no TIME_ sequence giving the sample increment");
        return (rate.Value, leads.Build());
    }

    private static double ReadRate(XElement value, string source, string what)
    {
        var inc = value.Child("increment");
        double? step = XmlNav.ParseDouble(inc.Attr("value"));
        string unit = inc.Attr("unit") ?? "s";
        double seconds = unit switch { "s" => 1, "ms" => 1e-3, "us" => 1e-6, _ => double.NaN };
        double rate = 1.0 / ((step ?? double.NaN) * seconds);
        // 1 / 0.002 s is not exactly 500 in binary floating point: snap rates within 1 ppm of an integer.
        if (double.IsFinite(rate) && Math.Abs(rate - Math.Round(rate)) < 1e-6 * rate) rate = Math.Round(rate);
        if (!double.IsFinite(rate) || !(rate >= 1e-3) || rate > 1e6)
            throw new EcgFormatException(source, $"{what}: invalid time increment '{inc.Attr("value")}' {unit}");
        return rate;
    }

    /// <summary>Parses whitespace-separated numbers; integers when all tokens are integers, else doubles.</summary>
    private static (int[]? Ints, double[]? Reals) ParseDigits(string text, string source, string what)
    {
        var span = text.AsSpan();
        int tokens = 0;
        bool inToken = false;
        foreach (char c in span)
        {
            bool ws = char.IsWhiteSpace(c);
            if (!ws && !inToken) tokens++;
            inToken = !ws;
        }
        if (tokens == 0) throw new EcgFormatException(source, $"{what}: empty <digits>");
        if (tokens > XmlLimits.MaxSamplesPerLead) throw new EcgFormatException(source, $"{what}: more than {XmlLimits.MaxSamplesPerLead} samples");
        var ints = new int[tokens];
        double[]? reals = null;
        int k = 0, pos = 0;
        while (k < tokens)
        {
            while (char.IsWhiteSpace(span[pos])) pos++;
            int start = pos;
            while (pos < span.Length && !char.IsWhiteSpace(span[pos])) pos++;
            var tok = span[start..pos];
            if (reals is null && int.TryParse(tok, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int iv))
            {
                ints[k] = iv;
            }
            else
            {
                if (reals is null)
                {
                    reals = new double[tokens];
                    for (int j = 0; j < k; j++) reals[j] = ints[j];
                }
                if (!double.TryParse(tok, NumberStyles.Float, CultureInfo.InvariantCulture, out double dv) || !double.IsFinite(dv))
                    throw new EcgFormatException(source, $"{what}: sample {k} '{tok.ToString()}' is not a number");
                reals[k] = dv;
            }
            k++;
        }
        return reals is null ? (ints, null) : (null, reals);
    }

    private static EcgMetadata ReadMetadata(XElement root)
    {
        var eff = root.Child("effectiveTime");
        DateTimeOffset? acquired = ParseTs(eff.Child("center").Attr("value") ?? eff.Child("low").Attr("value"));
        XElement? person = null, subject = null;
        foreach (var e in root.Descendants())
        {
            if (person is null && e.Name.LocalName == "subjectDemographicPerson") person = e;
            if (subject is null && e.Name.LocalName == "trialSubject") subject = e;
            if (person is not null && subject is not null) break;
        }
        string? sex = person.Child("administrativeGenderCode").Attr("code") switch
        {
            "M" => "M",
            "F" => "F",
            _ => null,
        };
        double? age = null;
        foreach (var obs in root.Children("controlVariable").Select(c => c.Child("relatedObservation")))
        {
            if (obs.Child("code").Attr("code") != "21612-7") continue; // LOINC "Reported Age"
            var v = obs.Child("value");
            double? a = XmlNav.ParseDouble(v.Attr("value"));
            age = v.Attr("unit") switch
            {
                "a" => a,
                "mo" => a / 12.0,
                "wk" => a * 7 / 365.25,
                "d" => a / 365.25,
                _ => null,
            };
        }
        if (age is null && ParseTs(person.Child("birthTime").Attr("value")) is { } birth && acquired is { } acq)
            age = Math.Floor((acq - birth).TotalDays / 365.2425);
        if (age is < 0 or > 200) age = null;

        var extra = new Dictionary<string, string>();
        extra["format"] = "HL7 aECG";
        if (root.Child("code").Attr("code") is { } c) extra["code"] = c;
        return new EcgMetadata
        {
            Age = age,
            Sex = sex,
            PatientId = subject.Child("id").Attr("extension"),
            RecordId = root.Child("id").Attr("root"),
            AcquisitionTime = acquired,
            Extra = extra,
        };
    }

    /// <summary>HL7 TS: yyyyMMdd[HHmm[ss[.fff]]][±zzzz].</summary>
    internal static DateTimeOffset? ParseTs(string? ts)
    {
        if (ts is null || ts.Length < 8) return null;
        TimeSpan offset = TimeSpan.Zero;
        int zone = ts.IndexOfAny(['+', '-'], 8);
        string body = ts;
        if (zone > 0)
        {
            string z = ts[(zone + 1)..];
            if (z.Length != 4 || !int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out int hhmm)) return null;
            offset = new TimeSpan(hhmm / 100, hhmm % 100, 0);
            if (ts[zone] == '-') offset = -offset;
            body = ts[..zone];
        }
        string[] formats = ["yyyyMMddHHmmss.FFFFFF", "yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyyMMdd"];
        if (!DateTime.TryParseExact(body, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt)) return null;
        if (offset < TimeSpan.FromHours(-14) || offset > TimeSpan.FromHours(14)) return null;
        try
        {
            return new DateTimeOffset(dt, offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // the UTC instant falls outside DateTimeOffset's range
        }
    }

    private static List<string> ReadStatements(XElement root)
    {
        var lines = new List<string>();
        foreach (var ann in root.Descendants())
        {
            if (ann.Name.LocalName != "annotation") continue;
            string code = ann.Child("code").Attr("code") ?? "";
            if (!code.Contains("INTERPRETATION", StringComparison.Ordinal) && !code.Contains("STATEMENT", StringComparison.Ordinal)) continue;
            var v = ann.Child("value");
            if (v?.Attribute(Xsi + "type")?.Value != "ST") continue;
            if (v.TextOf() is { } text) lines.Add(text);
            if (lines.Count >= XmlLimits.MaxStatements) break;
        }
        return lines;
    }
}
