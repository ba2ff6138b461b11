using System.Text.Json;
using EcgClip.Core.Abstractions;
using EcgClip.Eval.Plots;
using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Protocols;

/// <summary>Writes an evaluation's files: the results writer's files plus the PNG plots, or the retrieval report.</summary>
internal static class EvaluationOutputs
{
    /// <summary>results.json/csv/md, per-run score files, a data-efficiency plot and PR curves (classification).</summary>
    public static (ResultsFiles Files, IReadOnlyList<string> Plots) Write(string directory, EvaluationReport report)
    {
        var files = new ResultsWriter().Write(directory, report);
        var plots = new List<string>();
        if (report.Models[0].Kind == TaskKind.Regression) return (files, plots);
        string protocol = report.Protocol;
        string efficiency = Path.Combine(directory, "data_efficiency.png");
        DataEfficiencyPlot.Save(efficiency, report.Models, $"{report.TaskSet}: {protocol}, macro PRAUC vs labels");
        plots.Add(efficiency);
        foreach (var r in report.Models)
        {
            var run = r.Fractions[^1].Runs[0];
            string path = Path.Combine(directory, $"pr_curves_{EvaluationReport.RunFolder(r.Model, run).Split('/')[0]}.png");
            PrecisionRecallPlot.Save(path, run.Test.ToBinaryTaskData(), $"{report.TaskSet}: {r.Model}, {protocol}, {Format.Percent(run.Fraction)} of the labels (test)");
            plots.Add(path);
        }
        return (files, plots);
    }

    /// <summary>Retrieval: results.json (both directions, R@K with chance, median and mean rank), results.csv and results.md.</summary>
    public static ResultsFiles WriteRetrieval(string directory, string model, string taskSet, RetrievalReport report)
    {
        Directory.CreateDirectory(directory);
        var files = new ResultsFiles(Path.Combine(directory, "results.json"), Path.Combine(directory, "results.csv"), Path.Combine(directory, "results.md"), []);
        var directions = new[] { ("ecg_to_text", report.EcgToText), ("text_to_ecg", report.TextToEcg) };
        var json = new Dictionary<string, object>
        {
            ["task_set"] = taskSet,
            ["protocol"] = "retrieval",
            ["model"] = model,
        };
        foreach (var (name, s) in directions)
            json[name] = new
            {
                queries = s.Queries,
                candidates = s.Candidates,
                median_rank = s.MedianRank,
                mean_rank = s.MeanRank,
                recall = s.Recall.Select(r => new { k = r.K, recall = r.Recall, chance = r.Chance }).ToArray(),
            };
        File.WriteAllText(files.Json, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        var csv = new List<string> { "model,direction,k,recall,chance,median_rank,mean_rank" };
        var md = new List<string> { $"# Retrieval — {model} ({taskSet}, test split)", "", "| direction | queries | candidates | K | R@K | chance | median rank |", "|---|---|---|---|---|---|---|" };
        foreach (var (name, s) in directions)
            foreach (var r in s.Recall)
            {
                csv.Add(string.Join(',', model, name, r.K, Format.Number(r.Recall), Format.Number(r.Chance), Format.Number(s.MedianRank), Format.Number(s.MeanRank)));
                md.Add($"| {name} | {s.Queries} | {s.Candidates} | {r.K} | {r.Recall:F3} | {r.Chance:F3} | {s.MedianRank} |");
            }
        File.WriteAllLines(files.Csv, csv);
        File.WriteAllLines(files.Markdown, md);
        return files;
    }
}
