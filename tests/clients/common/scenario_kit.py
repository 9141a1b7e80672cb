"""What every client scenario shares: the failure type, check() and ok(), and the run skeleton
(URL USER PASSWORD --artifacts DIR, a temporary root, clean-up in all cases, the FAIL line).

The folder contract (tests/clients/README.md): each step prints `ok <step>`; a failure prints
`FAIL <step>: <why>` and the script exits 1; the C# runner shows the last FAIL line.
"""

import argparse
import os
import shutil
import sys
import tempfile
import traceback

# Where the C# runner puts artifacts too, so a run by hand keeps them in the same (git-ignored) place.
ARTIFACTS_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "artifacts")


class ScenarioFailure(Exception):
    """A check that failed: reported as its message alone (no trace, the message says why)."""


def check(condition, message):
    if not condition:
        raise ScenarioFailure(message)


def ok(what):
    print("ok %s" % what, flush=True)


def arguments(name, doc=None, argv=None, extra=None):
    """The common command line; extra(parser) adds a client's own options. The URL ends in '/'."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("--artifacts", default=None,
                        help="logs and screenshots (default: tests/clients/artifacts/%s)" % name)
    if extra:
        extra(parser)
    args = parser.parse_args(argv)
    if not args.url.endswith("/"):
        args.url += "/"
    args.artifacts = os.path.abspath(args.artifacts or os.path.join(ARTIFACTS_ROOT, name))
    os.makedirs(args.artifacts, exist_ok=True)
    return args


class Run:
    """One scenario run: its arguments, temporary root, current step and clean-up actions."""

    def __init__(self, name, args):
        self.name, self.args = name, args
        self.url, self.user, self.password, self.artifacts = args.url, args.user, args.password, args.artifacts
        self.root = tempfile.mkdtemp(prefix="caldera-%s-" % name)
        self.step = "setup"
        self._cleanups = []

    def ok(self, what=None):
        ok(what or self.step)

    def defer(self, what, action, *args):
        """Runs action(*args) at the end, pass or fail; a failure there is a warning, not the result."""
        self._cleanups.append((what, action, args))

    def close(self):
        for what, action, args in reversed(self._cleanups):
            try:
                action(*args)
            except Exception as exc:  # noqa: BLE001 - a clean-up problem must not hide the scenario's result
                print("warning: could not %s: %s" % (what, exc), flush=True)
        shutil.rmtree(self.root, ignore_errors=True)


def main(name, body, doc=None, argv=None, run_id=None, extra=None):
    """Runs body(run) as scenario `name` and returns the exit code (0 passed, 1 failed)."""
    run = Run(name, arguments(name, doc, argv, extra))
    print("%s scenario against %s as %s%s" % (name, run.url, run.user, " (run %s)" % run_id if run_id else ""))
    try:
        body(run)
    except ScenarioFailure as exc:
        print("FAIL %s: %s" % (run.step, exc), flush=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug in the script still reports as a failure, with its trace
        traceback.print_exc(file=sys.stdout)
        print("FAIL %s: %s: %s" % (run.step, exc.__class__.__name__, exc), flush=True)
        return 1
    finally:
        run.close()
    print("%s scenario passed" % name, flush=True)
    return 0
