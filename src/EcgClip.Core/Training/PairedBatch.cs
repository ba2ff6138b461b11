using EcgClip.Signal.Datasets;

namespace EcgClip.Core.Training;

/// <summary>
/// One batch of ECG–report pairs ready for the model: preprocessed (and, in training, augmented) signals, row-major
/// <c>[Count, Leads, Samples]</c> per view, with the reports and their shared-positive groups.
/// </summary>
/// <param name="Items">The dataset items of the rows (skipped records are absent).</param>
/// <param name="Views">One signal array per ECG view, each <c>Count × Leads × Samples</c> floats.</param>
/// <param name="Leads">Leads per record.</param>
/// <param name="Samples">Samples per lead.</param>
/// <param name="Reports">The raw reports.</param>
/// <param name="NormalizedReports">The normalised reports.</param>
/// <param name="Groups">Per row, a group id shared by rows with the same normalised report.</param>
/// <param name="Epoch">Epoch the batch belongs to.</param>
/// <param name="Index">Index of the batch within its epoch.</param>
public sealed record PairedBatch(
    IReadOnlyList<EcgTextItem> Items, IReadOnlyList<float[]> Views, int Leads, int Samples,
    IReadOnlyList<string> Reports, IReadOnlyList<string> NormalizedReports, long[] Groups, int Epoch, int Index)
{
    /// <summary>Rows in the batch.</summary>
    public int Count => Items.Count;
}
