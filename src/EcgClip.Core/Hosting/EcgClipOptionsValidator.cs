using EcgClip.Core.Encoders;
using Microsoft.Extensions.Options;

namespace EcgClip.Core.Hosting;

/// <summary>
/// Cross-field rules of <see cref="EcgClipOptions"/>: every configuration folder exists and parses, and the backbone is
/// in the resulting catalog. It builds its own catalog because the container's catalog depends on these options.
/// </summary>
internal sealed class EcgClipOptionsValidator : IValidateOptions<EcgClipOptions>
{
    public ValidateOptionsResult Validate(string? name, EcgClipOptions options)
    {
        var catalog = new ModelCatalog();
        foreach (var dir in options.ConfigDirectories)
        {
            try
            {
                catalog.AddDirectory(dir);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                return ValidateOptionsResult.Fail($"EcgClip: configuration folder '{dir}': {ex.Message}");
            }
        }
        if (!catalog.Contains(options.Backbone))
            return ValidateOptionsResult.Fail($"EcgClip: unknown backbone '{options.Backbone}'; known backbones: {string.Join(", ", catalog.List())}");
        return ValidateOptionsResult.Success;
    }
}
