#!/usr/bin/env python3
"""Records what the real kernel says for a few cells, as test data for CellOutputsTests.

Starts the kernel pinned in .config/dotnet-tools.json over its stdio protocol (as the runner and
VS Code do), submits each cell below as a SubmitCode command, and writes every JSON line the
kernel prints, in order, to kernel-events.jsonl next to this script. Run it from anywhere in the
repository after `dotnet tool restore`:

    python3 tests/NotebookRunner.Tests/Kernel/Recordings/record.py
"""
import json
import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

# token -> code. The tests look the cells up by these tokens.
CELLS = [
    ("streams", 'Console.WriteLine("hello"); Console.Write("again\\n"); Console.Error.WriteLine("oops"); Console.WriteLine("after");'),
    ("displays", 'var shown = display("first");\nshown.Update("second");\ndisplay(new[] { 1, 2 });\n41 + 1'),
    ("statement", "var quiet = 1;"),
    ("exception", 'throw new InvalidOperationException("boom");'),
    ("compile", 'int wrong = "text";'),
]


def main():
    env = dict(os.environ, DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")
    kernel = subprocess.Popen(
        ["dotnet", "tool", "run", "dotnet-interactive", "--", "stdio", "--default-kernel", "csharp", "--working-dir", HERE],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        start_new_session=True)
    lines = []

    def read_until(done):
        for line in kernel.stdout:
            if not line.startswith("{"):
                continue  # the banner
            lines.append(line.rstrip("\n"))
            if done(json.loads(line)):
                return
        sys.exit("the kernel exited early")

    read_until(lambda e: e.get("eventType") == "KernelReady")
    for token, code in CELLS:
        command = {"commandType": "SubmitCode", "command": {"code": code, "targetKernelName": "csharp"}, "token": token}
        kernel.stdin.write(json.dumps(command) + "\n")
        kernel.stdin.flush()
        read_until(lambda e: e.get("eventType") in ("CommandSucceeded", "CommandFailed")
                   and (e.get("command") or {}).get("token") == token)
    # Closing stdin does not end kernel 1.0.712001 (it spins instead), so its process group is
    # killed, as the runner kills its process tree: `dotnet tool run` and the kernel it started.
    os.killpg(kernel.pid, signal.SIGKILL)
    kernel.wait(timeout=30)

    with open(os.path.join(HERE, "kernel-events.jsonl"), "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} events for {len(CELLS)} cells")


if __name__ == "__main__":
    main()
