using EcgClip.Signal.Formats;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>The built-in record loaders.</summary>
public static class EcgRecordLoaders
{
    /// <summary>
    /// Reads any format <see cref="EcgReader"/> detects: WFDB records (a <c>.hea</c> path, a record path without
    /// extension, or a signal file beside its header; header checksums verified), PhysioNet/CinC records whose header
    /// names a MATLAB v4 <c>.mat</c> signal file, and GE MUSE / Philips / HL7 aECG XML. Bad input raises
    /// <see cref="EcgFormatException"/> naming the file and the reason.
    /// </summary>
    public static IEcgRecordLoader Default { get; } = new DelegateRecordLoader(path => EcgReader.Read(path));
}
