"""The widgets in a real browser: JupyterLab on localhost, Debian's headless chromium driven by Playwright.

A generated notebook opens ``letta_nb.widgets.workspace`` (chat + memory) with one client-side tool. The test runs
all cells from the menu, then, as a user would: types a message and presses Enter (the offline model's reply must
appear), asks for the tool (clicks "Run here" in the approval panel; the tool's result must come back), and asks the
agent to remember something (the memory editor beside the chat must show the new text, marked as changed by the
agent), then opens the workbench tabs: the context window (showing what the turn changed), the last turn's trace, and
the tool tester (runs its example tool). Screenshots go to artifacts/browser/: chat.png (first reply), approval.png (the panel asking), workspace.png
(the tool's result in the chat, the agent's memory edit highlighted beside it), context.png, trace.png, tool.png, and context-dark.png in JupyterLab's dark theme.

Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Never `playwright install`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import nbformat
import pytest

import letta_nb

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LAB_START_S = 60
STEP_MS = 60_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _notebook(path: Path, agent_name: str) -> None:
    cells = [
        "import sys\nimport letta_nb\nfrom letta_nb.widgets import workspace\nprint('kernel python:', sys.executable)",
        "def lnbb_shout(text: str) -> str:\n"
        '    """Repeat text in capitals.\n\n    Args:\n        text: What to repeat.\n    """\n'
        "    print('shouting', text)\n    return text.upper()",
        "client = letta_nb.connect()\n"
        f"agent = letta_nb.fresh_agent(client, {agent_name!r}, memory_blocks=[\n"
        "    {'label': 'human', 'value': 'Name: unknown'}, {'label': 'persona', 'value': 'I am a browser test agent.'}])\n"
        "ws = workspace(client, agent.id, tools=[lnbb_shout])\nws",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def lab(tmp_path, stack):
    """JupyterLab on a free port with a token, this environment's python as the kernel, settings kept in tmp_path."""
    root = tmp_path / "notebooks"
    root.mkdir()
    token = secrets.token_hex(16)
    port = _free_port()
    settings = {"notebook-extension/tracker": {"autoStartDefaultKernel": True},  # no "Select Kernel" dialog
                "apputils-extension/notification": {"fetchNews": "false"}}  # no news toast over the widgets
    for name, values in settings.items():
        path = tmp_path / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    # The kernel spec says "python"; jupyter_client replaces it with the server's sys.executable, this venv's python.
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (tmp_path / "jupyter.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + LAB_START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{(tmp_path / 'jupyter.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/api/status", params={"token": token}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                log_tail = (tmp_path / "jupyter.log").read_text()[-3000:]
                pytest.fail(f"JupyterLab did not answer within {LAB_START_S} s:\n{log_tail}")
            time.sleep(0.3)
        yield root, base, token
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "jupyter.log", ARTIFACTS / "jupyter.log")


def test_chat_memory_and_approval_in_jupyterlab(lab, client):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser test needs Debian's chromium. Install it with "
                    "`apt-get install -y chromium` (.ci/run does this).")
    from playwright.sync_api import expect, sync_playwright

    root, base, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    agent_name = f"browser-test-{uuid.uuid4().hex[:8]}"
    _notebook(root / "chat.ipynb", agent_name)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(STEP_MS)
            try:
                page.goto(f"{base}/lab/tree/chat.ipynb?token={token}")
                page.locator(".jp-Notebook").wait_for()
                page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # commands run only once the kernel is up
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

                message = page.locator(".lnb-w-input input")
                message.wait_for()
                kernel_python = page.locator(".jp-OutputArea-output", has_text="kernel python:")
                expect(kernel_python).to_contain_text(str(Path(sys.executable).parent))  # this env's python, not another

                message.fill("echo: hello from the browser")
                message.press("Enter")
                transcript = page.locator(".lnb-w-chat .lnb-w-scroll")
                expect(transcript).to_contain_text("hello from the browser")
                page.locator(".lnb-w-chat").scroll_into_view_if_needed()
                page.screenshot(path=ARTIFACTS / "chat.png")

                expect(message).to_be_enabled()
                message.fill('call lnbb_shout {"text": "hi"}')
                message.press("Enter")
                run_here = page.get_by_role("button", name="Run here")
                run_here.wait_for()
                expect(message).to_be_disabled()  # the agent waits for the answer: no new message meanwhile
                page.screenshot(path=ARTIFACTS / "approval.png")
                run_here.click()
                expect(transcript).to_contain_text("I repeated text in capitals: HI.")

                expect(message).to_be_enabled()
                message.fill("remember that my name is Ada")
                message.press("Enter")
                expect(transcript).to_contain_text("Nice to meet you, Ada!")
                human = page.locator(".lnb-w-memory .lnb-w-changed")
                expect(human).to_contain_text("changed by the agent")
                expect(human.locator("textarea")).to_have_value("Name: Ada")
                page.locator(".lnb-w-chat").scroll_into_view_if_needed()
                page.screenshot(path=ARTIFACTS / "workspace.png")

                tabs = page.locator(".lnb-w-tabs")
                tabs.get_by_role("tab", name="Context").click()
                expect(tabs).to_contain_text("since the snapshot")  # reloaded after the turn, compared
                expect(tabs).to_contain_text("+ Name: Ada")
                page.screenshot(path=ARTIFACTS / "context.png")
                tabs.get_by_role("tab", name="Last turn").click()
                expect(tabs).to_contain_text("memory_replace")  # the last turn, step by step
                expect(tabs).to_contain_text("end_turn")
                page.screenshot(path=ARTIFACTS / "trace.png")
                tabs.get_by_role("tab", name="Try a tool").click()
                tabs.locator(".lnb-w-run-tool").click()
                expect(tabs).to_contain_text("HELLO!")  # the example tool, run in the sandbox with no agent
                page.screenshot(path=ARTIFACTS / "tool.png")
                page.get_by_role("menuitem", name="Settings", exact=True).click()
                page.locator(".lm-Menu-itemLabel", has_text="Theme").first.hover()  # a submenu: opens on hover
                page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
                expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
                tabs.get_by_role("tab", name="Context").click()
                expect(tabs).to_contain_text("since the snapshot")
                page.screenshot(path=ARTIFACTS / "context-dark.png")  # the widgets follow JupyterLab's theme
            except Exception:
                page.screenshot(path=ARTIFACTS / "failure.png")
                raise
            finally:
                browser.close()
        calls = [m for m in client.agents.messages.list(client.agents.list(name=agent_name).items[0].id, limit=50).items
                 if m.message_type == "tool_return_message" and m.stdout == ["shouting hi\n"]]
        assert calls and calls[-1].status == "success", "the tool ran in the notebook's kernel, its stdout reached the agent"
    finally:
        letta_nb.delete_agents(client, name=agent_name)
