using System.Runtime.CompilerServices;

namespace EcgClip.Core.Native;

internal static class ModuleInitializer
{
    /// <summary>
    /// Runs before any EcgClip.Core type is used, so TorchSharp's native library is loadable before the first
    /// tensor without a manual step in apps, tests or BenchmarkDotNet's generated projects. It never throws:
    /// failures are kept in the report and raised by the entry points that need TorchSharp.
    /// </summary>
#pragma warning disable CA2255 // The loader fix must run before any TorchSharp call made through this library.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchNativeLoader.EnsureLoaded();
}
