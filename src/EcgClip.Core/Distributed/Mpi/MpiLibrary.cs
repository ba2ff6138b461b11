using System.Runtime.InteropServices;
using System.Text;

namespace EcgClip.Core.Distributed.Mpi;

/// <summary>
/// The MPI C functions EcgClip calls, bound as unmanaged function pointers from an explicitly loaded MPICH-ABI library
/// (<c>libmpich.so.12</c>, or <c>libmpi.so.12</c> of ABI-compatible MPIs). No DllImport resolver is installed, so
/// this coexists with the assembly's other native loading. Only non-blocking collectives are used: the caller polls
/// them under a <see cref="CollectiveWatchdog"/>.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>Library names tried in order when no path is configured.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["libmpich.so.12", "libmpi.so.12", "libmpich.so"];

    private readonly delegate* unmanaged<int*, nint, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<int, int, int> _abort;
    private readonly delegate* unmanaged<int, int*, int> _commRank;
    private readonly delegate* unmanaged<int, int*, int> _commSize;
    private readonly delegate* unmanaged<int, int, int> _commSetErrhandler;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;
    private readonly delegate* unmanaged<byte*, int*, int> _getLibraryVersion;
    private readonly delegate* unmanaged<nint, nint, int, int, int, int, int*, int> _iallreduce;
    private readonly delegate* unmanaged<nint, int, int, nint, int, int, int, int*, int> _iallgather;
    private readonly delegate* unmanaged<nint, int, int, int, int, int*, int> _ibcast;
    private readonly delegate* unmanaged<int, int*, int> _ibarrier;
    private readonly delegate* unmanaged<int*, int*, nint, int> _test;

    private MpiLibrary(nint handle, string path)
    {
        Path = path;
        _initThread = (delegate* unmanaged<int*, nint, int, int*, int>)Export(handle, "MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)Export(handle, "MPI_Finalize");
        _abort = (delegate* unmanaged<int, int, int>)Export(handle, "MPI_Abort");
        _commRank = (delegate* unmanaged<int, int*, int>)Export(handle, "MPI_Comm_rank");
        _commSize = (delegate* unmanaged<int, int*, int>)Export(handle, "MPI_Comm_size");
        _commSetErrhandler = (delegate* unmanaged<int, int, int>)Export(handle, "MPI_Comm_set_errhandler");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export(handle, "MPI_Error_string");
        _getLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Export(handle, "MPI_Get_library_version");
        _iallreduce = (delegate* unmanaged<nint, nint, int, int, int, int, int*, int>)Export(handle, "MPI_Iallreduce");
        _iallgather = (delegate* unmanaged<nint, int, int, nint, int, int, int, int*, int>)Export(handle, "MPI_Iallgather");
        _ibcast = (delegate* unmanaged<nint, int, int, int, int, int*, int>)Export(handle, "MPI_Ibcast");
        _ibarrier = (delegate* unmanaged<int, int*, int>)Export(handle, "MPI_Ibarrier");
        _test = (delegate* unmanaged<int*, int*, nint, int>)Export(handle, "MPI_Test");
    }

    /// <summary>The file or name the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>Loads the MPI library from <paramref name="path"/>, or the first of <see cref="Candidates"/> that loads.</summary>
    /// <exception cref="DistributedUnavailableException">No MPI library could be loaded; the message says what to install.</exception>
    public static MpiLibrary Load(string? path)
    {
        IReadOnlyList<string> names = path is null ? Candidates : [path];
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            try
            {
                return new MpiLibrary(handle, name);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new DistributedUnavailableException($"{name} loaded but is not an MPI-3 library with the MPICH ABI ({e.Message}); install Debian's mpich (apt-get install mpich) or point DistributedOptions.MpiLibrary at an MPICH-ABI libmpi.so.12");
            }
        }
        throw new DistributedUnavailableException(
            $"--distributed mpi needs an MPICH-ABI MPI library and none could be loaded (tried {string.Join(", ", names)}). "
            + "Install MPICH (Debian/Ubuntu: apt-get install mpich), or set ECGCLIP_MPI_LIBRARY to an MPICH-ABI libmpi.so.12 "
            + "(Intel MPI, MVAPICH, Cray MPICH), then launch with: mpiexec -n N ecgclip pretrain ... --distributed mpi");
    }

    public int InitThread(int required, out int provided)
    {
        int p;
        int rc = _initThread(null, 0, required, &p);
        provided = p;
        return rc;
    }

    public bool Initialized()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    public bool Finalized()
    {
        int flag;
        Check(_finalized(&flag), "MPI_Finalized");
        return flag != 0;
    }

    public int Finalize() => _finalize();

    public int Abort(int comm, int code) => _abort(comm, code);

    public int CommRank(int comm)
    {
        int r;
        Check(_commRank(comm, &r), "MPI_Comm_rank");
        return r;
    }

    public int CommSize(int comm)
    {
        int s;
        Check(_commSize(comm, &s), "MPI_Comm_size");
        return s;
    }

    public void SetErrorsReturn(int comm) => Check(_commSetErrhandler(comm, MpiConstants.ErrorsReturn), "MPI_Comm_set_errhandler");

    public string LibraryVersion()
    {
        var buffer = new byte[8192];
        int length;
        fixed (byte* p = buffer)
        {
            if (_getLibraryVersion(p, &length) != MpiConstants.Success) return "unknown";
        }
        var text = Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length));
        int newline = text.IndexOfAny(['\n', '\r']);
        return (newline >= 0 ? text[..newline] : text).Trim();
    }

    public int Iallreduce(nint sendBuffer, nint receiveBuffer, int count, int datatype, int op, int comm, out int request)
    {
        int r;
        int rc = _iallreduce(sendBuffer, receiveBuffer, count, datatype, op, comm, &r);
        request = r;
        return rc;
    }

    public int Iallgather(nint sendBuffer, int sendCount, int sendType, nint receiveBuffer, int receiveCount, int receiveType, int comm, out int request)
    {
        int r;
        int rc = _iallgather(sendBuffer, sendCount, sendType, receiveBuffer, receiveCount, receiveType, comm, &r);
        request = r;
        return rc;
    }

    public int Ibcast(nint buffer, int count, int datatype, int root, int comm, out int request)
    {
        int r;
        int rc = _ibcast(buffer, count, datatype, root, comm, &r);
        request = r;
        return rc;
    }

    public int Ibarrier(int comm, out int request)
    {
        int r;
        int rc = _ibarrier(comm, &r);
        request = r;
        return rc;
    }

    /// <summary>MPI_Test on <paramref name="request"/> (updated in place: MPI_REQUEST_NULL once complete).</summary>
    public int Test(ref int request, out bool completed)
    {
        int flag;
        int rc;
        fixed (int* r = &request) rc = _test(r, &flag, MpiConstants.StatusIgnore);
        completed = flag != 0;
        return rc;
    }

    /// <summary>MPI's text for an error code.</summary>
    public string ErrorString(int code)
    {
        var buffer = new byte[MpiConstants.MaxErrorString];
        int length;
        fixed (byte* p = buffer)
        {
            if (_errorString(code, p, &length) != MpiConstants.Success) return $"MPI error {code}";
        }
        return Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).Trim();
    }

    /// <summary>Throws <see cref="DistributedException"/> with MPI's message unless <paramref name="rc"/> is MPI_SUCCESS.</summary>
    public void Check(int rc, string call)
    {
        if (rc != MpiConstants.Success) throw new DistributedException($"{call} failed: {ErrorString(rc)} (MPI error {rc})");
    }

    private static nint Export(nint handle, string name) => NativeLibrary.GetExport(handle, name);
}
