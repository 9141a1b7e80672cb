#!/usr/bin/env bash
# The storage fault matrix with every fault kind (Reset, Timeout, 409, 412, 500, 503), where CI runs four of them:
# every write path, every storage call N of it, once and from-N-on. Prints each path's figures (k calls, cases,
# faults injected, orphan blobs left, failures). Usage: tests/bench/faults.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet build tests/Caldera.Functions.Tests -c Release >/dev/null
CALDERA_FAULT_KINDS=all dotnet test tests/Caldera.Functions.Tests -c Release --no-build \
    --filter "FullyQualifiedName~Caldera.Functions.Tests.Faults" --logger "console;verbosity=detailed" "$@" \
    | grep -E "^\s*(PUT|DELETE|MOVE|COPY|MKCALENDAR|calendar DELETE|iMIP apply)[ :].*k = |Passed!|Failed!|Total tests|failed:"
