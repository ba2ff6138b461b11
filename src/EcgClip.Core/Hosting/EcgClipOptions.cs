using System.ComponentModel.DataAnnotations;

namespace EcgClip.Core.Hosting;

/// <summary>
/// Options of <c>services.AddEcgClip(o => ...)</c>, validated at start-up. The backbone is chosen by name
/// (<c>"resnet18"</c>, <c>"resnet34"</c>, or one added to the <see cref="Encoders.ModelCatalog"/>).
/// </summary>
public sealed class EcgClipOptions
{
    /// <summary>ECG backbone name, e.g. "resnet18" or "resnet34".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Backbone { get; set; } = "resnet18";

    /// <summary>Embedding width after projection; 0 keeps the backbone config's value.</summary>
    [Range(0, 65536)]
    public int EmbeddingDim { get; set; }

    /// <summary>Extra folders of encoder configuration JSON files to add to the catalog.</summary>
    public IList<string> ConfigDirectories { get; } = [];

    /// <summary>"cpu", "cuda", "cuda:N" or "auto" (CUDA when available, else CPU).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^(cpu|auto|cuda(:\d+)?)$", ErrorMessage = "Device must be cpu, auto, cuda or cuda:N")]
    public string Device { get; set; } = "auto";

    /// <summary>Seed for weight initialisation and any sampling.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Intra-op threads for TorchSharp; 0 leaves libtorch's default.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }
}
