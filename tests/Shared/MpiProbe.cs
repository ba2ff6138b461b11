using System.Runtime.InteropServices;

namespace EcgClip.Testing;

/// <summary>
/// Finds out whether MPICH is installed without loading it into the test process. Loading <c>libmpich.so.12</c>
/// pulls in UCX (<c>libucs</c>, <c>libucp</c>) and hwloc with their constructors, and unloading it again runs their
/// teardown; a test host that did this while probing for skip reasons crashed during discovery in one CI run
/// (SIGSEGV reported by UCX's signal handler). The MPI tests load the library in their own mpiexec-launched processes.
/// </summary>
internal static class MpiProbe
{
    /// <summary>The path of <paramref name="soname"/> in the linker's usual folders or LD_LIBRARY_PATH, or null.</summary>
    public static string? FindLibrary(string soname)
    {
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64", Architecture.Arm64 => "aarch64", _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        };
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat([$"/usr/lib/{arch}-linux-gnu", $"/lib/{arch}-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib"]);
        return dirs.Select(d => Path.Combine(d, soname)).FirstOrDefault(File.Exists);
    }
}
