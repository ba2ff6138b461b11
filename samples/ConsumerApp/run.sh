#!/usr/bin/env bash
# Packs the EcgClip libraries into a local folder, creates a console app OUTSIDE the repository that references
# them (plus TorchSharp-cpu) through a local package source, and runs a TorchSharp operation through EcgClip.
# It shows that consumer apps need no manual step for the GLIBCXX fix. CI runs this script.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d -t ecgclip-consumer-XXXXXX)"
trap 'rm -rf "$work"' EXIT
# A unique version so that a package cached by an earlier run is never picked up instead of this build.
version="0.1.0-local.$(date +%s)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "packing EcgClip $version into $work/packages"
for p in Signal Core; do
  dotnet pack "$repo/src/EcgClip.$p/EcgClip.$p.csproj" -c Release -p:Version="$version" -o "$work/packages" >/dev/null
done

mkdir -p "$work/app"
cd "$work/app"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="ecgclip-local" value="$work/packages" />
  </packageSources>
</configuration>
XML
cat > ConsumerApp.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="EcgClip.Core" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
    <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.15" />
  </ItemGroup>
</Project>
XML
cp "$repo/samples/ConsumerApp/Program.cs" .
dotnet build -c Release >/dev/null
dotnet run -c Release --no-build
