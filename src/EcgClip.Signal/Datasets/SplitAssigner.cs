using System.Security.Cryptography;
using System.Text;

namespace EcgClip.Signal.Datasets;

/// <summary>
/// Deterministic patient-level split assignment: each patient id is hashed with a seed (SHA-256 of
/// "seed:patient", first 8 bytes as an unsigned integer mapped to [0, 1)) and placed in train, validation or test
/// by cumulative fractions. All records of a patient land in the same split, independent of order and of the other
/// patients, so adding data never moves an existing patient.
/// </summary>
public sealed class SplitAssigner
{
    /// <summary>Creates an assigner; the fractions must be non-negative and sum to 1 (±1e-6).</summary>
    public SplitAssigner(int seed = 0, double trainFraction = 0.8, double validationFraction = 0.1, double testFraction = 0.1)
    {
        if (trainFraction < 0 || validationFraction < 0 || testFraction < 0 || Math.Abs(trainFraction + validationFraction + testFraction - 1) > 1e-6)
            throw new ArgumentException($"split fractions must be non-negative and sum to 1 (got {trainFraction}, {validationFraction}, {testFraction})");
        Seed = seed;
        TrainFraction = trainFraction;
        ValidationFraction = validationFraction;
        TestFraction = testFraction;
    }

    /// <summary>The hash seed.</summary>
    public int Seed { get; }
    /// <summary>Fraction of patients (in expectation) placed in train.</summary>
    public double TrainFraction { get; }
    /// <summary>Fraction of patients (in expectation) placed in validation.</summary>
    public double ValidationFraction { get; }
    /// <summary>Fraction of patients (in expectation) placed in test.</summary>
    public double TestFraction { get; }

    /// <summary>The patient's position in [0, 1), uniform over patients.</summary>
    public double Position(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{Seed}:{patientId}"), hash);
        ulong v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hash);
        return (v >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The split of <paramref name="patientId"/>.</summary>
    public DatasetSplit Assign(string patientId)
    {
        double p = Position(patientId);
        if (p < TrainFraction) return DatasetSplit.Train;
        if (p < TrainFraction + ValidationFraction) return DatasetSplit.Validation;
        return TestFraction > 0 ? DatasetSplit.Test : (ValidationFraction > 0 ? DatasetSplit.Validation : DatasetSplit.Train);
    }
}
