#!/usr/bin/env bash
# Caldera's test command: builds the solution once and runs every test project,
# the conformance scenarios (python-caldav, vdirsyncer against the real local host) included.
# Works on a fresh clone from any working directory; installs what is missing:
#   - Azurite (npm ci) when node_modules is missing or older than package-lock.json
#   - python3-caldav, vdirsyncer and the real clients of tests/clients/ (Debian packages) when missing
#   - chromium (Debian's) for the web page's browser tests, which Playwright drives (no browser download)
# Exits non-zero when anything fails; ends with a line "tests: N passed, N failed, N skipped".
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
CONFIGURATION="${CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

started=$(date +%s)
say() { printf '== %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        as_root apt-get update -q
        apt_updated=1
    fi
    as_root apt-get install -y -q --no-install-recommends "$@"
}

# --- tools ---------------------------------------------------------------------
command -v dotnet >/dev/null || { echo "dotnet (SDK 10) is required: https://dot.net" >&2; exit 1; }

if ! command -v npm >/dev/null; then
    say "installing node/npm (for Azurite)"
    apt_install nodejs npm
fi

if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/.package-lock.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
    say "npm ci (Azurite)"
    npm ci --no-audit --no-fund
fi

missing=()
/usr/bin/python3 -c 'import caldav' >/dev/null 2>&1 || missing+=(python3-caldav)
/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || missing+=(python3-icalendar)
command -v vdirsyncer >/dev/null || missing+=(vdirsyncer)
# The real clients of tests/clients/ (each folder's README says what it proves).
command -v thunderbird >/dev/null || missing+=(thunderbird)
command -v syncevolution >/dev/null || missing+=(syncevolution)
[ -d /usr/libexec/evolution-data-server ] || missing+=(evolution-data-server)
command -v dbus-daemon >/dev/null || missing+=(dbus-daemon)                 # EDS runs on a private session bus
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)    # where EDS reads the password
/usr/bin/python3 -c 'import dbus' >/dev/null 2>&1 || missing+=(python3-dbus)
command -v khal >/dev/null || missing+=(khal)
command -v calcurse-caldav >/dev/null || missing+=(calcurse)
/usr/bin/python3 -c 'import httplib2' >/dev/null 2>&1 || missing+=(python3-httplib2)
# The web page's browser tests (tests/Caldera.Web.Tests/Browser): Playwright launches /usr/bin/chromium.
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    apt_install "${missing[@]}"
fi

# --- build once, then test everything ----------------------------------------
say "dotnet build Caldera.slnx -c $CONFIGURATION"
dotnet build Caldera.slnx -c "$CONFIGURATION" -nologo

log="$(mktemp -t caldera-tests.XXXXXX)"
trap 'rm -f "$log"' EXIT

say "dotnet test Caldera.slnx -c $CONFIGURATION --no-build"
set +e
dotnet test Caldera.slnx -c "$CONFIGURATION" --no-build -nologo \
    --logger "console;verbosity=detailed" \
    --blame-hang-timeout 15m --blame-hang-dump-type none 2>&1 | tee "$log"
test_rc=${PIPESTATUS[0]}
set -e

# Per test project, the console logger ends with either a block
#   Total tests: N / Passed: N / Failed: N / Skipped: N / Total time: ...   (detailed verbosity)
# or a line "Passed!  - Failed: N, Passed: N, Skipped: N, Total: N" (minimal verbosity).
read -r passed failed skipped projects < <(
    sed -E 's/\x1b\[[0-9;]*m//g; s/\r$//' "$log" | awk '
        /^Total tests: +[0-9]+/ { inblock = 1; n++; next }
        inblock && /^ *Passed: +[0-9]+ *$/  { p += $2 }
        inblock && /^ *Failed: +[0-9]+ *$/  { f += $2 }
        inblock && /^ *Skipped: +[0-9]+ *$/ { s += $2 }
        inblock && /Total time:/ { inblock = 0 }
        /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
            for (i = 1; i <= NF; i++) {
                v = $(i + 1); gsub(/,/, "", v)
                if ($i == "Failed:") f2 += v
                else if ($i == "Passed:") p2 += v
                else if ($i == "Skipped:") s2 += v
            }
            n2++
        }
        END {
            if (n > 0) printf "%d %d %d %d\n", p, f, s, n
            else printf "%d %d %d %d\n", p2, f2, s2, n2
        }')

elapsed=$(( $(date +%s) - started ))
rc=$test_rc
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then
    echo "no test ran" >&2
    rc=1
fi
echo "($projects test projects, ${elapsed}s, dotnet test exit code $test_rc)"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
