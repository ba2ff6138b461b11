#!/usr/bin/env bash
# Packs the ecgclip .NET tool, installs it from a local folder into a private tool path (nothing global is touched),
# and runs `ecgclip doctor --json`: the installed tool must load TorchSharp (applying the GLIBCXX fix where needed)
# and pass the forward+backward check. CI runs this script.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d -t ecgclip-tool-XXXXXX)"
trap 'rm -rf "$work"' EXIT
version="0.1.0-local.$(date +%s)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "packing the ecgclip tool $version"
dotnet pack "$repo/src/EcgClip.Cli/EcgClip.Cli.csproj" -c Release -p:Version="$version" -o "$work/packages" >/dev/null
ls -la "$work/packages"
dotnet tool install EcgClip.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/packages"
"$work/tools/ecgclip" --version
"$work/tools/ecgclip" doctor --json | tee "$work/doctor.json"
grep -q '"healthy":true' "$work/doctor.json"
