#!/usr/bin/python3
"""DAVx5 (Android) replayed: account setup, first sync in multiget chunks, create/edit/delete, tasks, incremental and
truncated sync - the requests DAVx5 sends, from its source code (see README.md and each request file's header).

Usage: scenario.py URL USER PASSWORD --artifacts DIR   (the transcript of every request and response goes to DIR)
"""

import os
import sys

sys.dont_write_bytecode = True

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "replay"))
import replay  # noqa: E402

if __name__ == "__main__":
    sys.exit(replay.run_folder(os.path.dirname(os.path.abspath(__file__)), sys.argv, "davx5"))
