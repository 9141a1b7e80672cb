#!/usr/bin/python3
"""Apple Calendar (macOS/iOS) replayed: discovery, calendar list with Apple's property set, PROPPATCH of colour, order
and time zone, first poll, create/edit/delete, second poll - the requests Apple sends, from Apple's CalendarServer
client simulator and published traffic logs (see README.md and each request file's header).

Usage: scenario.py URL USER PASSWORD --artifacts DIR   (the transcript of every request and response goes to DIR)
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "replay"))
import replay  # noqa: E402

if __name__ == "__main__":
    sys.exit(replay.run_folder(os.path.dirname(os.path.abspath(__file__)), sys.argv, "apple"))
