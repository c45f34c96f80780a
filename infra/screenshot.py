"""Take the README's screenshot of the review queue: `python infra/screenshot.py`.

Starts the local stack seeded with seeds/ in a temporary home, signs in as the reviewer
in Debian's headless Chromium (`bash infra/install_chromium.sh` installs it), waits for
the queue and saves the visible part of the page (1100x700 by default) as a PNG.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def start_stack(home: Path, timeout: float = 90) -> tuple[subprocess.Popen[str], dict]:
    args = [sys.executable, str(REPO_ROOT / "infra" / "local_stack.py"), "--port", "0"]
    args += ["--home", str(home), "--seeds", str(REPO_ROOT / "seeds")]
    proc = subprocess.Popen(
        args, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the stack exited:\n{proc.stdout.read() if proc.stdout else ''}")
        stack_file = home / "stack.json"
        if stack_file.exists():
            try:
                info = json.loads(stack_file.read_text())
                queue = _get_json(f"{info['api_url']}/claims", info["tokens"]["reviewer"])
                if len(queue["items"]) >= 3:
                    return proc, info
            except (OSError, ValueError, KeyError):
                pass
        time.sleep(0.3)
    proc.kill()
    raise TimeoutError("the stack's queue did not fill in time")


def screenshot(api_url: str, token: str, out: Path, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{api_url}/")
            page.get_by_label("API token").fill(token)
            page.get_by_role("button", name="Sign in").click()
            page.locator("#queue-rows tr").first.wait_for()
            page.locator("body").click(position={"x": 1, "y": height - 1})  # no focus ring
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs/screenshots/queue.png")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=700)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="factcheck-shot-") as home:
        proc, info = start_stack(Path(home))
        try:
            screenshot(
                info["api_url"], info["tokens"]["reviewer"], args.out, args.width, args.height
            )
        finally:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=60)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
