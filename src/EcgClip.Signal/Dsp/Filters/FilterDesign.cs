using System.Numerics;

namespace EcgClip.Signal.Dsp.Filters;

/// <summary>
/// Digital filter design that reproduces scipy.signal (1.10) numerically: <c>butter(..., output='sos')</c>,
/// <c>iirnotch</c> and <c>firwin</c> with a Kaiser window. The Butterworth design is a port of scipy's path
/// <c>buttap → lp2lp/lp2hp/lp2bp/lp2bs_zpk → bilinear_zpk → zpk2sos(pairing='nearest')</c>, so section order and
/// pole/zero pairing are scipy's. Frequencies are in Hz with the sampling rate <c>fs</c> in Hz.
/// </summary>
public static class FilterDesign
{
    /// <summary>
    /// Butterworth digital filter as second-order sections, identical to
    /// <c>scipy.signal.butter(order, cutoffs, btype, fs=fs, output='sos')</c>.
    /// </summary>
    /// <param name="order">Filter order (≥ 1). Band filters have 2·order poles, like scipy.</param>
    /// <param name="cutoffsHz">One critical frequency (low/high-pass) or two, ascending (band-pass/stop), in Hz.</param>
    /// <param name="bandType">The band type.</param>
    /// <param name="samplingRateHz">Sampling rate in Hz.</param>
    /// <exception cref="ArgumentException">Order below 1, wrong number of cut-offs, or a cut-off not strictly between 0 and Nyquist (fs/2).</exception>
    public static SecondOrderSections Butter(int order, ReadOnlySpan<double> cutoffsHz, FilterBandType bandType, double samplingRateHz)
    {
        var (z, p, k) = ButterZpk(order, cutoffsHz, bandType, samplingRateHz);
        return new SecondOrderSections(ZpkToSos.Convert(z, p, k));
    }

    /// <summary>
    /// The Butterworth design in zero-pole-gain form (scipy's <c>output='zpk'</c>): digital zeros, poles and gain.
    /// </summary>
    /// <inheritdoc cref="Butter" path="/param"/>
    /// <inheritdoc cref="Butter" path="/exception"/>
    public static (Complex[] Zeros, Complex[] Poles, double Gain) ButterZpk(int order, ReadOnlySpan<double> cutoffsHz, FilterBandType bandType, double samplingRateHz)
    {
        if (order < 1) throw new ArgumentException($"filter order must be at least 1, got {order}", nameof(order));
        if (!(samplingRateHz > 0) || !double.IsFinite(samplingRateHz))
            throw new ArgumentException($"sampling rate must be positive and finite, got {samplingRateHz} Hz", nameof(samplingRateHz));
        bool band = bandType is FilterBandType.BandPass or FilterBandType.BandStop;
        int expected = band ? 2 : 1;
        if (cutoffsHz.Length != expected)
            throw new ArgumentException($"a {bandType} filter needs {expected} cut-off frequenc{(expected == 1 ? "y" : "ies")}, got {cutoffsHz.Length}", nameof(cutoffsHz));
        double nyquist = samplingRateHz / 2;
        Span<double> wn = stackalloc double[expected];
        for (int i = 0; i < expected; i++)
        {
            double f = cutoffsHz[i];
            wn[i] = 2 * f / samplingRateHz;
            if (!(wn[i] > 0) || !(wn[i] < 1))
                throw new ArgumentException(
                    $"cut-off {f} Hz must be strictly between 0 and the Nyquist frequency {nyquist} Hz (fs = {samplingRateHz} Hz)", nameof(cutoffsHz));
        }
        if (band && !(wn[0] < wn[1]))
            throw new ArgumentException($"band edges must be ascending, got {cutoffsHz[0]} Hz, {cutoffsHz[1]} Hz", nameof(cutoffsHz));

        // buttap
        var z = new List<Complex>();
        var p = new List<Complex>(order);
        for (int m = -order + 1; m < order; m += 2)
        {
            double theta = Math.PI * m / (2.0 * order);
            p.Add(new Complex(-Math.Cos(theta), -Math.Sin(theta)));
        }
        double k = 1;

        // Pre-warp (scipy sets fs = 2 internally): warped = 2·fs·tan(π·Wn/fs).
        const double fsInternal = 2.0;
        Span<double> warped = stackalloc double[expected];
        for (int i = 0; i < expected; i++) warped[i] = 2 * fsInternal * Math.Tan(Math.PI * wn[i] / fsInternal);

        switch (bandType)
        {
            case FilterBandType.LowPass: (z, p, k) = LowPassToLowPass(z, p, k, warped[0]); break;
            case FilterBandType.HighPass: (z, p, k) = LowPassToHighPass(z, p, k, warped[0]); break;
            case FilterBandType.BandPass:
            case FilterBandType.BandStop:
                double bw = warped[1] - warped[0];
                double wo = Math.Sqrt(warped[0] * warped[1]);
                (z, p, k) = bandType == FilterBandType.BandPass
                    ? LowPassToBandPass(z, p, k, wo, bw)
                    : LowPassToBandStop(z, p, k, wo, bw);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(bandType), bandType, "unknown band type");
        }
        (z, p, k) = Bilinear(z, p, k, fsInternal);
        return (z.ToArray(), p.ToArray(), k);
    }

    /// <summary>
    /// Second-order IIR notch filter, identical to <c>scipy.signal.iirnotch(f0, q, fs)</c>.
    /// </summary>
    /// <param name="notchHz">Frequency to remove, in Hz (strictly between 0 and fs/2).</param>
    /// <param name="quality">Quality factor Q = f0 / bandwidth(−3 dB); positive.</param>
    /// <param name="samplingRateHz">Sampling rate in Hz.</param>
    /// <exception cref="ArgumentException">The frequency is not strictly inside (0, fs/2) or Q is not positive.</exception>
    public static TransferFunction IirNotch(double notchHz, double quality, double samplingRateHz)
    {
        if (!(samplingRateHz > 0) || !double.IsFinite(samplingRateHz))
            throw new ArgumentException($"sampling rate must be positive and finite, got {samplingRateHz} Hz", nameof(samplingRateHz));
        double w0 = 2 * notchHz / samplingRateHz;
        if (!(w0 > 0) || !(w0 < 1))
            throw new ArgumentException($"notch frequency {notchHz} Hz must be strictly between 0 and the Nyquist frequency {samplingRateHz / 2} Hz", nameof(notchHz));
        if (!(quality > 0) || !double.IsFinite(quality))
            throw new ArgumentException($"notch quality factor must be positive and finite, got {quality}", nameof(quality));
        double bw = w0 / quality;
        bw *= Math.PI;
        w0 *= Math.PI;
        double gb = 1 / Math.Sqrt(2);
        double beta = Math.Sqrt(1.0 - Math.Pow(gb, 2.0)) / gb * Math.Tan(bw / 2.0);
        double gain = 1.0 / (1.0 + beta);
        double c = Math.Cos(w0);
        double[] b = [gain * 1.0, gain * (-2.0 * c), gain * 1.0];
        double[] a = [1.0, -2.0 * gain * c, 2.0 * gain - 1.0];
        return new TransferFunction(b, a);
    }

    /// <summary>
    /// Linear-phase low-pass FIR with a Kaiser window, identical to
    /// <c>scipy.signal.firwin(numTaps, cutoff, window=('kaiser', beta), fs=fs)</c> (pass_zero=True, scale=True).
    /// </summary>
    /// <param name="numTaps">Number of taps (≥ 1).</param>
    /// <param name="cutoff">Cut-off in the units of <paramref name="samplingRate"/>, strictly between 0 and samplingRate/2.</param>
    /// <param name="kaiserBeta">Kaiser window shape parameter β (scipy's resample_poly uses 5).</param>
    /// <param name="samplingRate">Sampling rate; the default 2 makes <paramref name="cutoff"/> relative to Nyquist.</param>
    /// <exception cref="ArgumentException">Bad tap count or cut-off.</exception>
    public static double[] FirWinKaiser(int numTaps, double cutoff, double kaiserBeta, double samplingRate = 2.0)
    {
        if (numTaps < 1) throw new ArgumentException($"numTaps must be at least 1, got {numTaps}", nameof(numTaps));
        double nyq = 0.5 * samplingRate;
        double right = cutoff / nyq;
        if (!(right > 0) || !(right < 1))
            throw new ArgumentException($"FIR cut-off {cutoff} must be strictly between 0 and {nyq}", nameof(cutoff));
        double alpha = 0.5 * (numTaps - 1);
        var h = new double[numTaps];
        double[] win = KaiserWindow(numTaps, kaiserBeta);
        for (int i = 0; i < numTaps; i++)
        {
            double m = i - alpha;
            double v = 0 + right * Sinc(right * m);
            v -= 0.0 * Sinc(0.0 * m);
            h[i] = v * win[i];
        }
        // scale so that the gain at DC is 1: s = sum(h * cos(0)) with numpy's pairwise summation
        double s = PairwiseSum(h);
        for (int i = 0; i < numTaps; i++) h[i] /= s;
        return h;
    }

    /// <summary>Symmetric Kaiser window, identical to <c>scipy.signal.windows.kaiser(length, beta, sym=True)</c>.</summary>
    /// <param name="length">Window length (≥ 0).</param>
    /// <param name="beta">Shape parameter β.</param>
    public static double[] KaiserWindow(int length, double beta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var w = new double[length];
        if (length == 1) { w[0] = 1; return w; }
        double alpha = (length - 1) / 2.0;
        double i0Beta = BesselI0(beta);
        for (int n = 0; n < length; n++)
        {
            double r = (n - alpha) / alpha;
            w[n] = BesselI0(beta * Math.Sqrt(1 - r * r)) / i0Beta;
        }
        return w;
    }

    /// <summary>Modified Bessel function of the first kind, order 0 (power series; relative error ~1e-16 for |x| ≤ 30).</summary>
    internal static double BesselI0(double x)
    {
        double q = x * x / 4, term = 1, sum = 1;
        for (int k = 1; k < 500; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static double Sinc(double x)
    {
        double y = Math.PI * (x == 0 ? 1.0e-20 : x);
        return Math.Sin(y) / y;
    }

    /// <summary>numpy's pairwise summation (the order <c>np.sum</c> uses along a contiguous axis).</summary>
    internal static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = -0.0;
            for (int i = 0; i < n; i++) res += a[i];
            return n == 0 ? 0.0 : res;
        }
        if (n <= 128)
        {
            Span<double> r = stackalloc double[8];
            for (int j = 0; j < 8; j++) r[j] = a[j];
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }

    private static int RelativeDegree(List<Complex> z, List<Complex> p)
    {
        int degree = p.Count - z.Count;
        if (degree < 0) throw new ArgumentException("improper transfer function: more zeros than poles");
        return degree;
    }

    private static (List<Complex>, List<Complex>, double) LowPassToLowPass(List<Complex> z, List<Complex> p, double k, double wo)
    {
        int degree = RelativeDegree(z, p);
        return (z.Select(v => v * wo).ToList(), p.Select(v => v * wo).ToList(), k * Math.Pow(wo, degree));
    }

    private static (List<Complex>, List<Complex>, double) LowPassToHighPass(List<Complex> z, List<Complex> p, double k, double wo)
    {
        int degree = RelativeDegree(z, p);
        var zh = z.Select(v => wo / v).ToList();
        var ph = p.Select(v => wo / v).ToList();
        for (int i = 0; i < degree; i++) zh.Add(Complex.Zero);
        double kh = k * (Prod(z, negate: true) / Prod(p, negate: true)).Real;
        return (zh, ph, kh);
    }

    private static (List<Complex>, List<Complex>, double) LowPassToBandPass(List<Complex> z, List<Complex> p, double k, double wo, double bw)
    {
        int degree = RelativeDegree(z, p);
        double wo2 = wo * wo;
        var zb = Split(z.Select(v => v * bw / 2).ToList(), wo2);
        var pb = Split(p.Select(v => v * bw / 2).ToList(), wo2);
        for (int i = 0; i < degree; i++) zb.Add(Complex.Zero);
        return (zb, pb, k * Math.Pow(bw, degree));
    }

    private static (List<Complex>, List<Complex>, double) LowPassToBandStop(List<Complex> z, List<Complex> p, double k, double wo, double bw)
    {
        int degree = RelativeDegree(z, p);
        double wo2 = wo * wo;
        var zb = Split(z.Select(v => (bw / 2) / v).ToList(), wo2);
        var pb = Split(p.Select(v => (bw / 2) / v).ToList(), wo2);
        for (int i = 0; i < degree; i++) zb.Add(new Complex(0, wo));
        for (int i = 0; i < degree; i++) zb.Add(new Complex(0, -wo));
        double kb = k * (Prod(z, negate: true) / Prod(p, negate: true)).Real;
        return (zb, pb, kb);
    }

    /// <summary>concatenate((v + sqrt(v² − wo²)), (v − sqrt(v² − wo²))).</summary>
    private static List<Complex> Split(List<Complex> v, double wo2)
    {
        var plus = new List<Complex>(v.Count * 2);
        var minus = new List<Complex>(v.Count);
        foreach (var x in v)
        {
            var sq = new Complex(x.Real * x.Real - x.Imaginary * x.Imaginary, x.Real * x.Imaginary + x.Imaginary * x.Real);
            var root = Complex.Sqrt(sq - wo2);
            plus.Add(x + root);
            minus.Add(x - root);
        }
        plus.AddRange(minus);
        return plus;
    }

    private static (List<Complex>, List<Complex>, double) Bilinear(List<Complex> z, List<Complex> p, double k, double fs)
    {
        int degree = RelativeDegree(z, p);
        double fs2 = 2.0 * fs;
        var zz = z.Select(v => (fs2 + v) / (fs2 - v)).ToList();
        var pz = p.Select(v => (fs2 + v) / (fs2 - v)).ToList();
        for (int i = 0; i < degree; i++) zz.Add(-Complex.One);
        Complex num = Complex.One, den = Complex.One;
        foreach (var v in z) num *= fs2 - v;
        foreach (var v in p) den *= fs2 - v;
        double kz = k * (num / den).Real;
        return (zz, pz, kz);
    }

    private static Complex Prod(List<Complex> v, bool negate)
    {
        Complex r = Complex.One;
        foreach (var x in v) r *= negate ? -x : x;
        return r;
    }
}
