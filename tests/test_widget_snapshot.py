"""A widget's output carries a static HTML picture beside the live view, for GitHub, nbviewer and the docs site."""

from __future__ import annotations

import ipywidgets as widgets

from letta_nb.widgets import workspace
from letta_nb.widgets.snapshot import Snapshotted, static_html


class Panel(Snapshotted, widgets.VBox):
    pass


def _tree() -> widgets.Widget:
    hidden = widgets.HTML("<b>not shown</b>", layout=widgets.Layout(display="none"))
    tabs = widgets.Tab(children=[widgets.HTML("<i>first</i>"), widgets.HTML("<i>second</i>")], titles=("One", "Two"))
    tabs.selected_index = 1
    return Panel(children=[
        widgets.HBox([widgets.HTML("<p>left</p>", layout=widgets.Layout(flex="3 1 0")), tabs]),
        widgets.Textarea(value="line <1>\nline 2"), widgets.Text(value="", placeholder="Message the agent"),
        widgets.Password(value="sk-very-secret-value"), widgets.Button(description="Send"),
        widgets.Dropdown(options=[("default conversation", "")], value=""), widgets.IntSlider(value=7), hidden])


def test_static_html_draws_each_kind_and_hides_what_must_not_show():
    shown = static_html(_tree())
    assert "<p>left</p>" in shown and "flex:3 1 0" in shown  # an HTML widget's markup, with its flex in a row
    assert "<summary><b>One</b></summary><i>first</i>" in shown and "<details open><summary><b>Two</b>" in shown
    assert "line &lt;1&gt;\nline 2" in shown  # every other value is escaped here
    assert 'value="Message the agent"' in shown and "<button disabled>Send</button>" in shown
    assert "<option>default conversation</option>" in shown
    assert "sk-very-secret-value" not in shown and "(hidden)" in shown
    assert "(IntSlider)" in shown and "value=7" not in shown  # unknown kinds by name, never by repr (values)
    assert "not shown" not in shown


def test_the_bundle_keeps_the_live_view_and_adds_the_picture():
    bundle = _tree()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and bundle["text/plain"].startswith("Panel(")
    assert bundle["text/html"].startswith('<div class="lnb-w lnb-w-snapshot">') and "<p>left</p>" in bundle["text/html"]


def test_a_workspace_picture_shows_the_chat_memory_and_tabs(letta, new_agent):
    agent = new_agent()
    ws = workspace(letta, agent.id)
    ws.chat.say("My name is Sam", wait=True)
    picture = ws._repr_mimebundle_()["text/html"]
    assert "Nice to meet you, Sam!" in picture and "memory_replace" in picture  # the transcript
    assert "changed by the agent" in picture and "+ Name: Sam" in picture  # the memory tab, open
    for title in ("Memory", "Context", "Last turn", "Try a tool"):
        assert f"<b>{title}</b>" in picture
