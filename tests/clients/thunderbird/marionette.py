"""A minimal Marionette client (Gecko's remote protocol), standard library only.

Wire format: each message is "LEN:JSON". The server greets with {"applicationType", "marionetteProtocol"};
a command is [0, id, "Name", params] and its answer [1, id, error, result].
"""
import json
import socket
import time


class MarionetteError(Exception):
    pass


class Marionette:
    def __init__(self, host, port, connect_timeout=30.0):
        deadline = time.monotonic() + connect_timeout
        last = None
        while time.monotonic() < deadline:
            try:
                self.sock = socket.create_connection((host, port), timeout=5)
                break
            except OSError as e:
                last = e
                time.sleep(0.25)
        else:
            raise MarionetteError(f"no Marionette on {host}:{port} within {connect_timeout:.0f} s: {last}")
        self.sock.settimeout(None)
        self._buf = b""
        self._id = 0
        hello = self._read()
        if hello.get("marionetteProtocol") != 3:
            raise MarionetteError(f"unexpected greeting {hello}")

    def _read(self, timeout=None):
        self.sock.settimeout(timeout)
        while b":" not in self._buf:
            self._recv()
        size, rest = self._buf.split(b":", 1)
        length = int(size)
        self._buf = rest
        while len(self._buf) < length:
            self._recv()
        body, self._buf = self._buf[:length], self._buf[length:]
        return json.loads(body)

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise MarionetteError("Marionette closed the connection")
        self._buf += chunk

    def send(self, command, params=None, timeout=60.0):
        """Sends one command and returns its result; raises MarionetteError with the remote error."""
        self._id += 1
        body = json.dumps([0, self._id, command, params or {}]).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body)
        while True:
            try:
                kind, msg_id, error, result = self._read(timeout)
            except socket.timeout:
                raise MarionetteError(f"{command}: no answer within {timeout:.0f} s") from None
            if kind == 1 and msg_id == self._id:
                break
        if error:
            raise MarionetteError(f"{command}: {error.get('error')}: {error.get('message')}\n{error.get('stacktrace', '')}".rstrip())
        return result

    def start_chrome_session(self, script_timeout_ms):
        self.send("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {}}})
        self.send("Marionette:SetContext", {"value": "chrome"})
        self.send("WebDriver:SetTimeouts", {"script": script_timeout_ms})

    def execute(self, script, args=None, timeout=60.0):
        """Runs a synchronous chrome script (its `return` value comes back)."""
        return self.send("WebDriver:ExecuteScript", {"script": script, "args": args or [], "newSandbox": False},
                         timeout)["value"]

    def execute_async(self, script, args=None, timeout=60.0):
        """Runs a script that finishes by calling its last argument (resolve) with the result."""
        return self.send("WebDriver:ExecuteAsyncScript", {"script": script, "args": args or [], "newSandbox": False},
                         timeout)["value"]

    def screenshot_png(self):
        import base64
        return base64.b64decode(self.send("WebDriver:TakeScreenshot", {"full": False, "hash": False})["value"])

    def quit(self, timeout=20.0, flags=("eForceQuit",)):
        try:
            self.send("Marionette:Quit", {"flags": list(flags)}, timeout)
        finally:
            self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
