using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;

namespace EcgClip.Core.Hosting;

/// <summary>
/// Creates ECG encoders of one backbone. Registered as a keyed service under the backbone name, so consumers
/// can resolve <c>[FromKeyedServices("resnet34")] IEcgEncoderFactory</c>; factories (not module instances) are
/// registered because modules own native memory and belong to whoever disposes them.
/// </summary>
public interface IEcgEncoderFactory
{
    /// <summary>Backbone name.</summary>
    string Name { get; }

    /// <summary>The configuration this factory builds.</summary>
    EncoderConfig Config { get; }

    /// <summary>Creates a fresh, randomly initialised encoder on the configured device; the caller disposes it.</summary>
    IEcgEncoder Create();
}

/// <summary>
/// The configured default: resolves <see cref="EcgClipOptions.Backbone"/> (or any name) to a factory.
/// For an unknown name it throws <see cref="UnknownBackboneException"/> listing the known names.
/// </summary>
public interface IEcgEncoderProvider
{
    /// <summary>Names of all registered backbones.</summary>
    IReadOnlyList<string> Backbones { get; }

    /// <summary>The factory for <paramref name="backbone"/>, or for the configured backbone when null.</summary>
    IEcgEncoderFactory GetFactory(string? backbone = null);

    /// <summary>Creates an encoder of <paramref name="backbone"/>, or of the configured backbone when null.</summary>
    IEcgEncoder CreateEncoder(string? backbone = null);
}
