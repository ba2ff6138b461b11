using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Tests.Reporting;

/// <summary>One shared two-model report per test run (it takes a second to compute).</summary>
internal static class ReportFixturesCache
{
    private static readonly Lazy<EvaluationReport> s_report = new(ReportFixtures.TwoModels);

    public static EvaluationReport Report => s_report.Value;
}
