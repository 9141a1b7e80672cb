"""Runs Debian's syncevolution command line in a throw-away HOME and keeps each run's output."""

import os
import signal
import subprocess

NOISE = ("Loaded backend library",)


def home_env(home, **extra):
    """A minimal environment whose HOME and XDG dirs are under home: nothing touches the machine's own."""
    return dict({"PATH": "/usr/bin:/bin", "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                 "XDG_DATA_HOME": os.path.join(home, ".local", "share"), "XDG_CACHE_HOME": os.path.join(home, ".cache"),
                 "LANG": "C.UTF-8"}, **extra)


class SyncEvolution:
    def __init__(self, home, artifacts):
        self.artifacts = artifacts
        self.counter = 0
        # No D-Bus session: the command line runs the sync in-process and never asks a keyring.
        self.env = home_env(home, DBUS_SESSION_BUS_ADDRESS="disabled:")

    def run(self, name, *args, stdin=None, timeout=120, env=None):
        """(exit code, output without the backend-loading noise); the output also goes to NN-name.log."""
        self.counter += 1
        process = subprocess.Popen(["syncevolution", *args], env=env or self.env, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)  # its own group: the local sync forks a helper
        try:
            out, _ = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate()
            out += "\n[scenario] killed after %d s" % timeout
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # any helper left behind
            except ProcessLookupError:
                pass
        text = "\n".join(l for l in out.splitlines() if not l.startswith(NOISE))
        with open(os.path.join(self.artifacts, "%02d-%s.log" % (self.counter, name)), "w", encoding="utf-8") as f:
            f.write("$ syncevolution %s\n%s\nexit %s\n" % (" ".join(a if "password" not in a else "password=***" for a in args),
                                                          text, process.returncode))
        return process.returncode, text
