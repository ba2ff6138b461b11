using System.CommandLine;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Formats;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip info</c>: header, channels, metadata and statements of an ECG file.</summary>
internal sealed class InfoCommand : ICommandFactory
{
    public Command Create()
    {
        var input = new Argument<string>("file")
        {
            Description = "ECG file: a WFDB header (.hea), record path without extension or .dat; a PhysioNet/CinC .mat (beside its .hea); GE MUSE, Philips or HL7 aECG XML.",
        };
        var headerOnly = new Option<bool>("--header-only") { Description = "WFDB: show the header without reading (and verifying) the samples. Multi-segment records are always shown this way." };
        var json = new Option<bool>("--json") { Description = "Print one JSON line: format, record, sampling rate, samples, channels (gain, baseline, units), metadata, statements, labels and, for WFDB, the header's signal or segment lines." };
        var cmd = new Command("info",
            "Show what an ECG file holds: format, sampling rate, length, channels with gain/baseline/units, patient and\n" +
            "acquisition metadata, free-text statements and labels (e.g. SNOMED CT codes of PhysioNet/CinC records).\n" +
            "Reading the samples verifies WFDB checksums (a mismatch exits 2). Example: ecgclip info 00001_hr.hea --json")
        {
            input, headerOnly, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () => Run(pr.GetValue(input)!, pr.GetValue(headerOnly), pr.GetValue(json))));
        return cmd;
    }

    private static int Run(string input, bool headerOnly, bool json)
    {
        var (format, resolved) = EcgReader.Detect(input);
        if (format == EcgFileFormat.Unknown) EcgReader.Read(input); // throws the reader's clear error
        bool wfdb = format is EcgFileFormat.Wfdb or EcgFileFormat.CincMat;
        WfdbHeader? header = wfdb ? WfdbHeaderParser.ParseFile(resolved) : null;
        EcgRecord? record = null;
        if (!wfdb) record = EcgReader.Read(resolved);
        else if (!headerOnly && !header!.IsMultiSegment) record = WfdbReader.Read(header, resolved);

        var info = new InfoReport
        {
            File = input,
            Format = format.ToString().ToLowerInvariant(),
            Record = record?.Name ?? header!.RecordName,
            SamplingRateHz = record?.SamplingRate ?? header!.SamplingFrequency,
            Samples = record?.SampleCount ?? header!.SampleCount,
            DurationS = record?.DurationSeconds ?? (header!.SampleCount is long n ? n / header.SamplingFrequency : null),
            ChecksumsVerified = wfdb ? record is not null : null,
            Channels = record?.Channels.Select(c => new ChannelInfo(c.Name, c.Lead is Lead l ? LeadNames.Name(l) : null, c.Units, c.Gain, c.Baseline, c.Digital is not null, c.InvalidValue)).ToArray()
                       ?? WfdbReader.SignalsOf(header!, resolved).Select((s, i) => new ChannelInfo(WfdbReader.ChannelName(s, i), LeadNames.TryParse(s.Description, out var l) ? LeadNames.Name(l) : null, s.Units, s.EffectiveGain, s.Baseline, true, null)).ToArray(),
            Canonical12 = record is not null && EcgLeadLayout.IsCanonical12(record),
            Metadata = record is not null ? Meta(record.Metadata) : header is not null ? Meta(WfdbComments.Interpret(header, header.RecordName).Metadata) : null,
            Statements = record?.Statements ?? (header is null ? [] : WfdbComments.Interpret(header, header.RecordName).Statements),
            Labels = record?.Labels ?? (header is null ? [] : WfdbComments.Interpret(header, header.RecordName).Labels),
            Wfdb = header is null ? null : new WfdbInfo(
                header.SegmentCount,
                header.Signals.Select(s => new WfdbSignalInfo(s.FileName, s.Format, s.SamplesPerFrame, s.Skew, s.ByteOffset, s.Gain, s.Baseline, s.Units, s.AdcResolution, s.AdcZero, s.InitialValue, s.Checksum, s.Description)).ToArray(),
                header.Segments.Select(s => new WfdbSegmentInfo(s.Name, s.SampleCount)).ToArray(),
                header.Comments.ToArray(), header.BaseTime, header.BaseDate),
        };
        if (json) CliJson.WriteLine(info);
        else Print(info);
        return ExitCodes.Ok;
    }

    private static MetadataInfo Meta(EcgMetadata m) => new(m.Age, m.Sex, m.PatientId, m.RecordId, m.AcquisitionTime, m.Extra);

    private static void Print(InfoReport r)
    {
        var o = Console.Out;
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine($"file:          {r.File}");
        o.WriteLine($"format:        {r.Format}");
        o.WriteLine($"record:        {r.Record}");
        o.WriteLine($"sampling rate: {r.SamplingRateHz.ToString(ci)} Hz");
        o.WriteLine($"samples:       {(r.Samples?.ToString(ci) ?? "unknown")}{(r.DurationS is double d ? $" ({d.ToString("0.###", ci)} s)" : "")}");
        if (r.ChecksumsVerified is bool v) o.WriteLine($"checksums:     {(v ? "verified" : "not checked (header only)")}");
        o.WriteLine($"channels:      {r.Channels.Length}{(r.Canonical12 ? " (canonical 12-lead order)" : "")}");
        foreach (var c in r.Channels)
            o.WriteLine($"  {c.Name,-10} lead={c.Lead ?? "-",-4} gain={c.Gain.ToString(ci)}/{c.Units} baseline={c.Baseline.ToString(ci)}{(c.HasDigital ? "" : " (no digital values)")}");
        if (r.Metadata is { } m)
        {
            if (m.Age is double age) o.WriteLine($"age:           {age.ToString(ci)}");
            if (m.Sex is not null) o.WriteLine($"sex:           {m.Sex}");
            if (m.PatientId is not null) o.WriteLine($"patient id:    {m.PatientId}");
            if (m.AcquisitionTime is { } at) o.WriteLine($"acquired:      {at.ToString("O", ci)}");
            foreach (var (k, val) in m.Extra) o.WriteLine($"  {k}: {val}");
        }
        if (r.Labels.Count > 0) o.WriteLine($"labels:        {string.Join(", ", r.Labels)}");
        if (r.Statements.Count > 0)
        {
            o.WriteLine("statements:");
            foreach (var s in r.Statements) o.WriteLine($"  {s}");
        }
        if (r.Wfdb is { Segments.Length: > 0 } w) o.WriteLine($"segments:      {w.Segments.Length}");
    }

    private sealed class InfoReport
    {
        public required string File { get; init; }
        public required string Format { get; init; }
        public required string Record { get; init; }
        public double SamplingRateHz { get; init; }
        public long? Samples { get; init; }
        public double? DurationS { get; init; }
        public bool? ChecksumsVerified { get; init; }
        public required ChannelInfo[] Channels { get; init; }
        public bool Canonical12 { get; init; }
        public MetadataInfo? Metadata { get; init; }
        public required IReadOnlyList<string> Statements { get; init; }
        public required IReadOnlyList<string> Labels { get; init; }
        public WfdbInfo? Wfdb { get; init; }
    }

    private sealed record ChannelInfo(string Name, string? Lead, string Units, double Gain, int Baseline, bool HasDigital, int? InvalidValue);
    private sealed record MetadataInfo(double? Age, string? Sex, string? PatientId, string? RecordId, DateTimeOffset? AcquisitionTime, IReadOnlyDictionary<string, string> Extra);
    private sealed record WfdbInfo(int SegmentCount, WfdbSignalInfo[] Signals, WfdbSegmentInfo[] Segments, string[] Comments, string? BaseTime, string? BaseDate);
    private sealed record WfdbSignalInfo(string File, int Format, int SamplesPerFrame, int Skew, long ByteOffset, double Gain, int Baseline, string Units, int AdcResolution, int AdcZero, int? InitialValue, int? Checksum, string Description);
    private sealed record WfdbSegmentInfo(string Name, long Samples);
}
