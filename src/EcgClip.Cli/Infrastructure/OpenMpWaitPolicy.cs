using System.Runtime.InteropServices;

namespace EcgClip.Cli.Infrastructure;

/// <summary>
/// Makes libtorch's OpenMP worker threads sleep, not spin, while they wait for work (<c>OMP_WAIT_POLICY=PASSIVE</c>),
/// unless the environment already sets <c>OMP_WAIT_POLICY</c>. On a machine shared with other jobs a spinning worker
/// burns the time slices the other worker needs: measured on the 2-core dev machine at load 17–25, ResNet-18
/// inference ran at 14 ECG/s passive vs 4–5 spinning, with half the processor time (benchmarks/README.md).
/// </summary>
/// <remarks>
/// GNU OpenMP reads the variable once, when libgomp loads, and EcgClip.Core's module initializer loads libtorch (and
/// libgomp) the first time a Core type is touched; so <see cref="Apply"/> runs first thing in <c>Main</c>, from this
/// assembly, through libc's <c>setenv</c> (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does
/// not change the native environment on Unix). No-op outside glibc Linux.
/// </remarks>
internal static partial class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return;
        try
        {
            _ = setenv(Variable, "PASSIVE", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc: leave OpenMP as it is
        }
    }

    /// <summary>The native environment's <c>OMP_WAIT_POLICY</c> (what libgomp sees), or null.</summary>
    public static string? Current
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(Variable);
            try
            {
                return Marshal.PtrToStringUTF8(getenv(Variable));
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return Environment.GetEnvironmentVariable(Variable);
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
