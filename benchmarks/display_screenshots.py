"""Screenshots of letta_nb.display in JupyterLab's light and dark themes (headless Chromium, no JupyterLab needed).

Renders one static page (agent card, transcript, memory view, memory diff) from real objects of the local stack,
wraps it once with JupyterLab's light and once with its dark ``--jp-*`` variables, and screenshots both::

    uv run python benchmarks/display_screenshots.py          # -> artifacts/display-light.png, display-dark.png

Needs the local stack (``letta-nb up``) and Debian's ``chromium`` (``apt-get install -y chromium``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import letta_nb
from letta_nb.display import memory_diff, render

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = '''
def launch_flare(colour: str, height_m: int = 100) -> str:
    """Launch a signal flare. Asks a human first.

    Args:
        colour: The flare's colour, e.g. "red".
        height_m: How high it should burst, in metres.

    Returns:
        str: What was launched.
    """
    return f"{colour} flare at {height_m} m"
'''
OUT = ROOT / "artifacts"

# The values of JupyterLab 4's own theme files (theme-light-extension / theme-dark-extension variables.css).
LIGHT = {
    "--jp-layout-color0": "#ffffff", "--jp-layout-color1": "#ffffff", "--jp-layout-color2": "#eeeeee",
    "--jp-ui-font-color1": "rgba(0,0,0,0.87)", "--jp-ui-font-color2": "rgba(0,0,0,0.54)",
    "--jp-border-color2": "#e0e0e0", "--jp-brand-color1": "#1976d2", "--jp-error-color1": "#d32f2f",
    "--jp-warn-color1": "#f57c00", "--jp-success-color1": "#388e3c", "--jp-info-color1": "#0097a7",
}
DARK = {
    "--jp-layout-color0": "#111111", "--jp-layout-color1": "#212121", "--jp-layout-color2": "#424242",
    "--jp-ui-font-color1": "rgba(255,255,255,0.87)", "--jp-ui-font-color2": "rgba(255,255,255,0.54)",
    "--jp-border-color2": "#424242", "--jp-brand-color1": "#2196f3", "--jp-error-color1": "#f44336",
    "--jp-warn-color1": "#ff9800", "--jp-success-color1": "#4caf50", "--jp-info-color1": "#00bcd4",
}
SHARED = {"--jp-ui-font-family": "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif",
          "--jp-code-font-family": "Menlo, Consolas, 'DejaVu Sans Mono', monospace", "--jp-ui-font-size1": "13px"}


def build_views() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(heading, html) for the left and right columns, from real server objects; everything created is deleted."""
    client = letta_nb.connect()
    model, embedding = letta_nb.default_models(client)
    suffix = uuid.uuid4().hex[:8]
    made: list[str] = []
    try:
        agent = client.agents.create(
            name=f"display-demo-{suffix}", model=model, embedding=embedding, tags=["demo", "workshop"],
            tools=["archival_memory_insert", "archival_memory_search"],
            memory_blocks=[
                {"label": "human", "value": "Name: Ada\nLikes: lighthouses", "limit": 60,
                 "description": "What I know about the user."},
                {"label": "persona", "value": "I am a concise, friendly assistant.", "read_only": True},
            ])
        made.append(agent.id)
        launch = client.tools.upsert(default_requires_approval=True, source_code=LAUNCH)
        thinker = client.agents.create(name=f"display-thinker-{suffix}", agent_type="memgpt_v2_agent", model=model,
                                       embedding=embedding, memory_blocks=[{"label": "human", "value": "Name: Ada"}])
        made.append(thinker.id)
        before = client.agents.retrieve(agent.id, include=["agent.blocks"])
        messages = []
        for text in ["remember that I collect lighthouse postcards",
                     "archive: The Fastnet lighthouse is called Ireland's teardrop #lighthouses #ireland",
                     "search archival for teardrop",
                     "Summarise with **bold**, *emphasis* and `code`:\n- first point\n- second point <script>alert(1)</script>"]:
            reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])
            messages.append(reply)
        thought = client.agents.messages.create(agent_id=thinker.id, messages=[{"role": "user", "content": (
            'call send_message {"message": "Fastnet is *the teardrop*.", "thinking": "The user asked about Fastnet; '
            'answer briefly."}')}])
        after = client.agents.retrieve(agent.id, include=["agent.blocks", "agent.tools", "agent.tags"])
        history = client.agents.messages.list(agent_id=agent.id)
        left = [("show(agent)", render(after).html), ("memory_diff(before, after)", memory_diff(before, after).html),
                ("show(tool)", render(launch).html)]
        right = [("show(client.agents.messages.list(agent_id=...))", render(history).html),
                 ("show(response)  (an agent with reasoning)", render(thought).html)]
        return left, right
    finally:
        for agent_id in made:
            letta_nb.delete_agents(client, name=client.agents.retrieve(agent_id).name)
        for tool in client.tools.list(name="launch_flare"):
            client.tools.delete(tool.id)



def page(columns: tuple[list[tuple[str, str]], ...], theme: dict[str, str], title: str) -> str:
    variables = ";".join(f"{k}:{v}" for k, v in {**SHARED, **theme}.items())
    html = "".join("<div>" + "".join(f"<h2>{heading}</h2>{view}" for heading, view in column) + "</div>"
                   for column in columns)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title><style>"
            f"body{{{variables};background:var(--jp-layout-color0);color:var(--jp-ui-font-color1);margin:12px 20px;"
            "font-family:var(--jp-ui-font-family)}main{display:grid;grid-template-columns:1fr 1fr;gap:20px}"
            "h2{font-size:13px;font-weight:600;margin:12px 0 4px;color:var(--jp-ui-font-color2);"
            "font-family:var(--jp-code-font-family)}</style></head>"
            f"<body><main>{html}</main></body></html>")


def screenshot(html_file: Path, png: Path, height: int = 1600) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size=1200,{height}",
                        html_file.as_uri()], check=True, capture_output=True, timeout=120)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    views = build_views()
    for name, theme in (("light", LIGHT), ("dark", DARK)):
        html_file = OUT / f"display-{name}.html"
        html_file.write_text(page(views, theme, f"letta_nb.display ({name})"), encoding="utf-8")
        screenshot(html_file, OUT / f"display-{name}.png")
        print(f"{OUT / f'display-{name}.png'}  ({html_file.name})")


if __name__ == "__main__":
    main()
