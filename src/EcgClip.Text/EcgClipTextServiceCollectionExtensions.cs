using EcgClip.Core.Models;
using EcgClip.Text.Hosting;
using EcgClip.Text.Training;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EcgClip.Text's text-tower factories.</summary>
public static class EcgClipTextServiceCollectionExtensions
{
    /// <summary>
    /// Adds the text encoder factories as keyed services: <c>"transformer"</c> (trained from scratch) and <c>"bert"</c>
    /// (Hugging Face <c>BertModel</c> safetensors). Resolve with
    /// <c>sp.GetRequiredKeyedService&lt;ITextEncoderFactory&gt;(config.Encoder)</c>; and Core's <see cref="ITextTowerBuilder"/>
    /// (<see cref="TextTowerBuilder"/>, handing <c>"bert"</c> specs to <see cref="BertTextTowerBuilder"/>), which whole-model
    /// creation and pretraining use. Defaults use TryAdd.
    /// </summary>
    public static IServiceCollection AddEcgClipText(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddKeyedSingleton<ITextEncoderFactory, TransformerTextEncoderFactory>(TransformerTextEncoderFactory.Key);
        services.TryAddKeyedSingleton<ITextEncoderFactory, BertTextEncoderFactory>(BertTextEncoderFactory.Key);
        services.TryAddSingleton<BertTextTowerBuilder>();
        services.TryAddSingleton<ITextTowerBuilder, TextTowerBuilder>();
        return services;
    }
}
