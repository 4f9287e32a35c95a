#!/usr/bin/env bash
# Mutation testing of the policy pack (policies/) and the preview (infra/Preview/) with Stryker.NET, the version
# pinned in .config/dotnet-tools.json. Not part of the test command: it runs the tests once per mutant (minutes).
# Usage: bash .config/stryker/run.sh [policies|preview]   (default: both)
# Reports (HTML and JSON per target) land in StrykerOutput/<target>/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
dotnet tool restore
extra=()
# The policy tests read the AWS samples in ../shared/corpus/aws-samples; without them (a plain clone) skip those tests.
if [ ! -d ../shared/corpus/aws-samples ] && [ ! -d shared/corpus/aws-samples ]; then
  extra=(--test-case-filter "FullyQualifiedName!~Corpus")
fi
root="$PWD"
for target in ${@:-policies preview}; do
  case "$target" in
    policies) tests=tests/ScalableBackend.Policies.Tests; filter=("${extra[@]}") ;;
    preview) tests=tests/ScalableBackend.Infra.Tests; filter=() ;;
    *) echo "unknown target $target (policies or preview)" >&2; exit 2 ;;
  esac
  # Stryker runs from the test project's folder (from the root it would see Infra.sln and want a solution run).
  (cd "$tests" && dotnet stryker --config-file "$root/.config/stryker/$target.json" --output "$root/StrykerOutput/$target" --skip-version-check "${filter[@]}")
done
