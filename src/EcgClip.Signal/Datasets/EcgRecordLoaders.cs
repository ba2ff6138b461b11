using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>The built-in record loaders.</summary>
public static class EcgRecordLoaders
{
    /// <summary>
    /// Reads WFDB records with <see cref="WfdbReader"/> (default options: header checksums verified): a <c>.hea</c> path,
    /// a record path without extension, or a signal file beside its header — including PhysioNet/CinC records whose
    /// header names a MATLAB v4 <c>.mat</c> signal file. Bad input raises <see cref="EcgFormatException"/>.
    /// </summary>
    public static IEcgRecordLoader Default { get; } = new DelegateRecordLoader(path => WfdbReader.Read(path));
}
