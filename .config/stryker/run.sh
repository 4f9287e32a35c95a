#!/usr/bin/env bash
# Mutation testing of the policy pack (policies/) and the preview (infra/Preview/) with Stryker.NET, the version
# pinned in .config/dotnet-tools.json. Not part of the test command: it runs the tests once per mutant (minutes).
# Usage: bash .config/stryker/run.sh [policies|preview]   (default: both)
# Reports (HTML and JSON per target) land in StrykerOutput/<target>/, which git ignores.
# Which tests run against the mutants is in each target's JSON (test-case-filter): the policies run leaves out the
# corpus tests (they re-check all 93 AWS samples for false positives, seconds per mutant, and need ../shared); the
# preview run takes only the millisecond unit tests (no synthesis, no Node.js, no CLI), and so does not mutate the
# three Preview files only those slower tests reach: TemplateDiffer.cs and NodePackages.cs (they start node and npm)
# and FileKeys.cs (it reads a synthesized environment).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
dotnet tool restore
root="$PWD"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(policies preview)
for target in "${targets[@]}"; do
  case "$target" in
    policies) tests=tests/ScalableBackend.Policies.Tests ;;
    preview) tests=tests/ScalableBackend.Infra.Tests ;;
    *) echo "unknown target $target (policies or preview)" >&2; exit 2 ;;
  esac
  # Stryker runs from the test project's folder (from the root it would see Infra.sln and want a solution run).
  (cd "$tests" && dotnet stryker --config-file "$root/.config/stryker/$target.json" --output "$root/StrykerOutput/$target" --skip-version-check)
done
