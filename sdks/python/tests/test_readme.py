"""The README's open-and-read example, run as a script against the real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import Server

PACKAGE = Path(__file__).resolve().parents[1]


def test_readme_example(server: Server, tmp_path: Path) -> None:
    readme = (PACKAGE / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    assert "Client.from_environment()" in block.group(1)
    run = subprocess.run(
        [sys.executable, "-c", block.group(1)],
        capture_output=True,
        text=True,
        env={**os.environ, "OPENESC_URL": server.url, "OPENESC_TOKEN": server.token, "OPENESC_HOME": str(tmp_path),
             "PYTHONPATH": str(PACKAGE / "src"), "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
    )
    assert run.stderr == ""
    assert run.stdout == "[secret]\nhunter2\n"
