using EcgClip.Eval.Reporting;
using EcgClip.Eval.Tests.Reporting;

namespace EcgClip.Eval.Tests.Protocols.Reproduction;

public sealed class ResultsHeaderTests
{
    [Theory]
    [InlineData("linear-probe", "L2 strength chosen on the validation split only")]
    [InlineData("finetune", "Early stopping on the validation loss only")]
    [InlineData("zero-shot", "Zero-shot: nothing fitted or selected")]
    public void Results_md_header_names_what_the_protocol_selected_on_validation(string protocol, string expected)
    {
        string dir = Path.Combine(Path.GetTempPath(), "ecgclip-header-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = new ResultsWriter().Write(dir, ReportFixturesCache.Report with { Protocol = protocol });
            string header = File.ReadLines(files.Markdown).Skip(2).First();
            Assert.Contains(expected, header);
            if (protocol != "linear-probe") Assert.DoesNotContain("L2 strength", header);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
