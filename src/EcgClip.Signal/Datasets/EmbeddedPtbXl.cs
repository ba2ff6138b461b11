namespace EcgClip.Signal.Datasets;

/// <summary>
/// The PTB-XL subset shipped with EcgClip (CC BY 4.0, Wagner et al. 2020), opened as a <see cref="PtbXlDataset"/>.
/// </summary>
public static class EmbeddedPtbXl
{
    /// <summary>Opens the embedded PTB-XL data set.</summary>
    public static PtbXlDataset Load(PtbXlOptions? options = null)
        => throw new NotSupportedException("the embedded PTB-XL data set is not built yet (issue 9 lands it)");
}
