#!/usr/bin/env bash
# A longer fuzzing campaign than CI's: the FsCheck properties of tests/Caldera.Fuzz.Tests with more cases and
# another seed, the HTTP ones included (a real local host on loopback with in-memory Azurite).
#   FUZZ_CASES  inputs per target (default 20000; CI runs 300-1000 per target and 100-120 over HTTP)
#   FUZZ_SEED   the FsCheck seed (default: the time, printed so that a run can be repeated)
# Prints, per target, the inputs tried and the failures; writes every failing input into
# tests/fuzz/corpus/<target>/found-<hash>.<ext> (FUZZ_SAVE=1), where CI replays it from then on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export FUZZ_CASES="${FUZZ_CASES:-20000}" FUZZ_SEED="${FUZZ_SEED:-$(date +%s)}" FUZZ_SAVE=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "fuzz campaign: $FUZZ_CASES cases per target, seed $FUZZ_SEED"
dotnet build tests/Caldera.Fuzz.Tests -c Release -nologo -v q
log="$(mktemp -t caldera-fuzz.XXXXXX)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test tests/Caldera.Fuzz.Tests -c Release --no-build --filter "FullyQualifiedName~FuzzPropertyTests|FullyQualifiedName~HttpFuzzTests.Mutated" \
    --logger "console;verbosity=detailed" >"$log" 2>&1
rc=$?
set -e
grep -E "^ *(fuzz|http) [a-z]+:" "$log" | sed 's/^ *//' | sort -u
grep -E "^ *(memory:|hang:|[A-Za-z.]*Exception:|--- /)" "$log" | sed 's/^ *//' | sort -u | head -40 || true
git status --short tests/fuzz/corpus
exit $rc
