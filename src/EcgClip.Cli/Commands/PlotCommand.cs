using System.CommandLine;
using EcgClip.Cli.Infrastructure;
using EcgClip.Eval.Plots;
using EcgClip.Signal.Formats;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip plot</c>: any supported ECG file as the clinical 12-lead paper layout (PNG or SVG).</summary>
internal sealed class PlotCommand : ICommandFactory
{
    public Command Create()
    {
        var file = new Argument<string>("file") { Description = "An ECG file: WFDB (.hea or record path), PhysioNet/CinC .mat + .hea, GE MUSE, Philips or HL7 aECG XML." };
        var output = new Option<string>("--out") { Description = "Output .png or .svg.", Required = true };
        var title = new Option<string?>("--title") { Description = "Title above the grid (default: the record name)." };
        var speed = new Option<double>("--speed") { Description = "Paper speed in mm/s (default 25).", DefaultValueFactory = _ => 25 };
        var gain = new Option<double>("--gain") { Description = "Gain in mm/mV (default 10).", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var cmd = new Command("plot",
            "Draw an ECG on ECG paper: the standard 3×4 layout of 2.5 s columns (I/II/III, aVR/aVL/aVF, V1–V3, V4–V6) above a 10 s\n" +
            "lead II rhythm strip, 1 mm / 5 mm grid, 25 mm/s and 10 mm/mV, a 1 mV calibration pulse per row. Leads are matched by name\n" +
            "and III/aVR/aVL/aVF derived when a file stores only I, II and V1–V6. Example:\n" +
            "  ecgclip plot muse.xml --out ecg.png")
        {
            file, output, title, speed, gain, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            string path = pr.GetValue(file)!, outPath = pr.GetValue(output)!;
            double mmPerS = pr.GetValue(speed), mmPerMv = pr.GetValue(gain);
            if (!(mmPerS > 0) || !(mmPerMv > 0)) throw new ArgumentException("--speed and --gain must be positive");
            var record = EcgReader.Read(path);
            EcgPaperPlot.Save(outPath, record, new EcgPaperPlotOptions
            {
                Title = pr.GetValue(title) ?? record.Name, MillimetresPerSecond = mmPerS, MillimetresPerMillivolt = mmPerMv,
            });
            if (pr.GetValue(json)) CliJson.WriteLine(new { file = path, @out = outPath, record = record.Name, sampling_rate = record.SamplingRate, seconds = record.DurationSeconds });
            else Console.WriteLine($"{record.Name}: {record.DurationSeconds:0.#} s at {record.SamplingRate:0.#} Hz drawn to {outPath}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
