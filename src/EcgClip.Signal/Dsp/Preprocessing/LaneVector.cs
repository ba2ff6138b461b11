using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcgClip.Signal.Dsp.Preprocessing;

/// <summary>
/// A float64 SIMD vector for the interleaved kernels; implemented by thin structs over Vector256/Vector512 so the
/// kernels are written once and the JIT specialises (and inlines) them per width.
/// </summary>
internal unsafe interface ILaneVector<TSelf> where TSelf : unmanaged, ILaneVector<TSelf>
{
    static abstract int Count { get; }
    static abstract bool IsHardwareAccelerated { get; }
    static abstract TSelf Load(double* p);
    static abstract void Store(TSelf v, double* p);
    static abstract TSelf Broadcast(double value);
    static abstract TSelf Zero { get; }
    /// <summary>a·b + c, fused.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Add(TSelf a, TSelf b);
    static abstract TSelf Sub(TSelf a, TSelf b);
    static abstract TSelf Mul(TSelf a, TSelf b);
    static abstract TSelf Div(TSelf a, TSelf b);
    static abstract TSelf Sqrt(TSelf a);
}

/// <summary>4 lanes (AVX2).</summary>
internal readonly unsafe struct Lanes256 : ILaneVector<Lanes256>
{
    private readonly Vector256<double> _v;
    private Lanes256(Vector256<double> v) => _v = v;
    public static int Count => Vector256<double>.Count;
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    public static Lanes256 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(double* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes256 v, double* p) => Vector256.Store(v._v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Broadcast(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Fma(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Add(Lanes256 a, Lanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Sub(Lanes256 a, Lanes256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Mul(Lanes256 a, Lanes256 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Div(Lanes256 a, Lanes256 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Sqrt(Lanes256 a) => new(Vector256.Sqrt(a._v));
}

/// <summary>8 lanes (AVX-512).</summary>
internal readonly unsafe struct Lanes512 : ILaneVector<Lanes512>
{
    private readonly Vector512<double> _v;
    private Lanes512(Vector512<double> v) => _v = v;
    public static int Count => Vector512<double>.Count;
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    public static Lanes512 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(double* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512 v, double* p) => Vector512.Store(v._v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Broadcast(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Fma(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Add(Lanes512 a, Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Sub(Lanes512 a, Lanes512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Mul(Lanes512 a, Lanes512 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Div(Lanes512 a, Lanes512 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Sqrt(Lanes512 a) => new(Vector512.Sqrt(a._v));
}
