"""Screenshots of the workbench views (context window with a turn's changes, trace, tool trial, fork, script) in
JupyterLab's light and dark themes, for docs/workbench.md. Same page and browser as display_screenshots.py::

    uv run python benchmarks/workbench_screenshots.py        # -> docs/img/workbench-<view>-<light|dark>.png

Needs the local stack (``letta-nb up``) and Debian's ``chromium``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from display_screenshots import DARK, LIGHT, page, screenshot

import letta_nb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
HEIGHT = {"context": 1100, "trace": 380, "tool": 620, "fork": 620, "script": 900}  # each view's own, no empty page


def weather(city: str) -> str:
    """Today's weather in a city.

    Args:
        city: The city, e.g. "Paris".
    """
    import os

    print("key found:", os.getenv("WEATHER_API_KEY") is not None)
    return f"Sunny in {city} (key {os.getenv('WEATHER_API_KEY')})"


def build_views() -> dict[str, tuple[str, str]]:
    """view name -> (heading, html), from real objects of the local stack; everything created is deleted."""
    client = letta_nb.connect()
    tag = f"shots-{uuid.uuid4().hex[:8]}"
    try:
        agent = letta_nb.fresh_agent(client, f"{tag}-assistant", tags=[tag], memory_blocks=[
            {"label": "human", "value": "Name: unknown"}, {"label": "persona", "value": "I am a helpful assistant."}])
        before = letta_nb.context_window(client, agent)
        response = client.agents.messages.create(agent_id=agent.id, messages=[
            {"role": "user", "content": "Hi, I'm Sam, a teacher in Leeds."}])
        pirate = letta_nb.fork(client, agent, name=f"{tag}-pirate")
        return {
            "context": ("context_window(client, agent, before=snapshot)",
                        letta_nb.context_window(client, agent, before=before).html),
            "trace": ("trace(client, response)", letta_nb.trace(client, response).html),
            "tool": ("try_tool(client, weather, secrets={...}, city='Paris')",
                     letta_nb.try_tool(client, weather, secrets={"WEATHER_API_KEY": "demo-key-1234"},
                                       city="Paris")._repr_html_()),
            "fork": ("fork(client, agent, name=...)", pirate._repr_html_()),
            "script": ("to_script(client, agent)", letta_nb.to_script(client, pirate.agent)._repr_html_()),
        }
    finally:
        letta_nb.delete_agents(client, tags=[tag])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for view, (heading, html) in build_views().items():
        for name, theme in (("light", LIGHT), ("dark", DARK)):
            html_file = OUT / f"workbench-{view}-{name}.html"
            html_file.write_text(page(([(heading, html)],), theme, f"{view} ({name})").replace(
                "grid-template-columns:1fr 1fr", "grid-template-columns:1fr"), encoding="utf-8")
            png = OUT / f"workbench-{view}-{name}.png"
            screenshot(html_file, png, height=HEIGHT[view])
            html_file.unlink()  # the page holds the stylesheet and real (sanitized nowhere) ids: only the picture stays
            print(png)


if __name__ == "__main__":
    main()
