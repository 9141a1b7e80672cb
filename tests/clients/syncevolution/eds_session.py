"""A private D-Bus session with Evolution's data server, for EDS's own CalDAV backend.

Starts a session bus whose environment is the scenario's temporary HOME/XDG dirs (the services
it activates - evolution-source-registry, evolution-calendar-factory, dconf - inherit it, so
nothing touches the machine's HOME), a gnome-keyring-daemon holding the password (EDS reads
credentials only from the Secret Service, under its schema and the source's UID), and writes
the CalDAV sources as Evolution does: one file per source in $XDG_CONFIG_HOME/evolution/sources.
Every process started here carries a marker variable, so close() ends exactly those.
"""

import os
import signal
import subprocess
import time
import uuid
from urllib.parse import urlparse

import dbus

from syncevolution_cli import home_env

SECRETS = "org.freedesktop.secrets"


def source_file(name, kind, url, user):
    """An EDS CalDAV source; kind is "Calendar" (events) or "Task List" (tasks)."""
    parsed = urlparse(url)
    return (
        "[Data Source]\nDisplayName=%s\nEnabled=true\nParent=caldav-stub\n\n"
        "[Authentication]\nHost=%s\nMethod=plain/password\nPort=%d\nRememberPassword=true\nUser=%s\n\n"
        "[%s]\nBackendName=caldav\nSelected=true\n\n"
        "[Offline]\nStaySynchronized=true\n\n"
        "[Security]\nMethod=%s\n\n"
        "[WebDAV Backend]\nAvoidIfmatch=false\nCalendarAutoSchedule=false\nResourcePath=%s\n"
        % (name, parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80), user, kind,
           "tls" if parsed.scheme == "https" else "none", parsed.path)
    )


class EdsSession:
    def __init__(self, home, marker):
        self.home = home
        self.marker = marker
        self.env = home_env(home, XDG_RUNTIME_DIR=os.path.join(home, "run"), CALDERA_SCENARIO_MARKER=marker)
        os.makedirs(self.env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
        self.sources_dir = os.path.join(self.env["XDG_CONFIG_HOME"], "evolution", "sources")
        os.makedirs(self.sources_dir, exist_ok=True)
        self.processes = []
        self.address = None

    def add_source(self, uid, text):
        with open(os.path.join(self.sources_dir, uid + ".source"), "w", encoding="utf-8") as f:
            f.write(text)

    def start(self, log):
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], env=self.env,
                               stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
        self.processes.append(bus)
        self.address = bus.stdout.readline().strip()
        if not self.address:
            raise AssertionError("dbus-daemon printed no address")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        # The login keyring is created with this password and left unlocked; --foreground keeps it our child.
        keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                   env=self.env, stdin=subprocess.PIPE, stdout=log, stderr=log, start_new_session=True)
        keyring.stdin.write(uuid.uuid4().hex.encode())
        keyring.stdin.close()
        self.processes.append(keyring)
        self.bus = dbus.bus.BusConnection(self.address)
        for _ in range(100):
            if self.bus.name_has_owner(SECRETS):
                return
            time.sleep(0.1)
        raise AssertionError("gnome-keyring-daemon did not provide %s" % SECRETS)

    def store_password(self, source_uid, password):
        """The password where EDS looks for it: Secret Service, schema org.gnome.Evolution.Data.Source."""
        service = dbus.Interface(self.bus.get_object(SECRETS, "/org/freedesktop/secrets"), "org.freedesktop.Secret.Service")
        _, session = service.OpenSession("plain", dbus.String("", variant_level=1))
        path = service.ReadAlias("default")
        if path == "/":
            raise AssertionError("the keyring has no default collection")
        collection = dbus.Interface(self.bus.get_object(SECRETS, path), "org.freedesktop.Secret.Collection")
        attributes = dbus.Dictionary({"xdg:schema": "org.gnome.Evolution.Data.Source", "e-source-uid": source_uid},
                                     signature="ss")
        properties = {"org.freedesktop.Secret.Item.Label": dbus.String("Evolution Data Source " + source_uid),
                      "org.freedesktop.Secret.Item.Attributes": attributes}
        secret = dbus.Struct((session, dbus.ByteArray(b""), dbus.ByteArray(password.encode()), "text/plain"),
                             signature="oayays")
        _, prompt = collection.CreateItem(properties, secret, True)
        if prompt != "/":
            raise AssertionError("the keyring wants to prompt for storing a password")

    def marked_pids(self):
        """PIDs of every process carrying this session's marker (the bus's activated services too)."""
        needle = ("CALDERA_SCENARIO_MARKER=" + self.marker).encode()
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open("/proc/%s/environ" % entry, "rb") as f:
                    if needle in f.read().split(b"\0"):
                        pids.append(int(entry))
            except OSError:
                pass
        return pids

    def close(self):
        try:
            if getattr(self, "bus", None) is not None:
                self.bus.close()
        except Exception:
            pass
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for pid in self.marked_pids():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.time() + 5
        while self.marked_pids() and time.time() < deadline:
            time.sleep(0.1)
        for pid in self.marked_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
