#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal, as a person at a terminal would, and answers its prompts.

Usage: session.py SCRIPT.json, where the script is
  {"argv": [...], "env": {...}, "stdout": "FILE" or null, "timeout": SECONDS,
   "steps": [{"expect": "text on the terminal", "send": "what to type"}, ...]}
Standard input and standard error are the terminal; standard output too, unless "stdout" names a file
(as `pgusers create NAME > FILE` does). Prints {"exit_code", "transcript", "unmatched"} as JSON, where
the transcript is everything the terminal showed and "unmatched" the first step whose text never came.
"""
import json
import os
import pty
import select
import signal
import sys
import time


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        script = json.load(f)
    deadline = time.monotonic() + script.get("timeout", 120)
    pid, master = pty.fork()
    if pid == 0:
        # as at a person's terminal: Ctrl-C interrupts, even when this driver was started with SIGINT
        # ignored (as a background job of a shell without job control is)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGQUIT, signal.SIG_DFL)
        if script.get("stdout"):
            fd = os.open(script["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.close(fd)
        env = dict(os.environ)
        env.update(script.get("env", {}))
        os.execvpe(script["argv"][0], script["argv"], env)
    transcript = b""
    position = 0
    unmatched = None

    def read_some(wait):
        nonlocal transcript
        ready, _, _ = select.select([master], [], [], wait)
        if not ready:
            return True
        try:
            data = os.read(master, 4096)
        except OSError:
            return False
        if not data:
            return False
        transcript += data
        return True

    alive = True
    for index, step in enumerate(script.get("steps", [])):
        wanted = step["expect"].encode("utf-8")
        while alive and transcript.find(wanted, position) < 0 and time.monotonic() < deadline:
            alive = read_some(0.2)
        found = transcript.find(wanted, position)
        if found < 0:
            unmatched = index
            break
        position = found + len(wanted)
        time.sleep(step.get("pause", 0.1))
        os.write(master, step["send"].encode("utf-8"))
    while alive and time.monotonic() < deadline:
        alive = read_some(0.2)
    if alive:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    json.dump({"exit_code": code, "transcript": transcript.decode("utf-8", "replace"), "unmatched": unmatched},
              sys.stdout)


if __name__ == "__main__":
    main()
