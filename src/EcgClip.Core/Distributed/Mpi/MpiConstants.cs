namespace EcgClip.Core.Distributed.Mpi;

/// <summary>
/// Handle values of the MPICH ABI (mpi.h of MPICH 3.1+ and of ABI-compatible MPIs: Intel MPI, MVAPICH, Cray MPICH),
/// where communicators, datatypes and operations are 32-bit integers. Open MPI's ABI (pointer handles) differs.
/// </summary>
internal static class MpiConstants
{
    public const int Success = 0;
    public const int CommWorld = 0x44000000;
    public const int Byte = 0x4c00010d;
    public const int Float = 0x4c00040a;
    public const int Double = 0x4c00080b;
    public const int Int64 = 0x4c00083a;
    public const int OpSum = 0x58000003;
    public const int ErrorsReturn = 0x54000001;
    public const int ThreadSerialized = 2;
    public const int MaxErrorString = 512;
    public static readonly nint InPlace = -1;
    public static readonly nint StatusIgnore = 1;
}
