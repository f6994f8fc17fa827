"""scripts/store.py joins a cell's consecutive stream outputs into one, as nbval does before it compares, and drops
the displays that hold no data (the emptied live areas of letta_nb.stream)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from store import _rules, coalesce, scrub, without_empty_displays  # noqa: E402


def test_consecutive_streams_of_one_name_become_one_output():
    out = nbformat.v4.new_output
    outputs = [out("stream", name="stdout", text="Here "), out("stream", name="stdout", text="is "),
               out("stream", name="stderr", text="warning\n"), out("stream", name="stdout", text="a story\n"),
               out("display_data", data={"text/plain": "card"}), out("stream", name="stdout", text="done\n")]
    joined = coalesce(outputs)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in joined] == [
        ("stream", "stdout", "Here is "), ("stream", "stderr", "warning\n"), ("stream", "stdout", "a story\n"),
        ("display_data", None, None), ("stream", "stdout", "done\n")]


def test_nothing_to_join_is_left_as_it_was():
    outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "a"})]
    assert coalesce(outputs) == outputs


def test_displays_without_data_are_dropped_and_the_rest_kept():
    out = nbformat.v4.new_output
    outputs = [out("display_data", data={}), out("display_data", data={"text/plain": "message"}),
               out("stream", name="stdout", text=""), out("display_data", data={})]
    assert without_empty_displays(outputs) == outputs[1:3]


def _nbval_sanitized(text: str) -> str:
    """What nbval compares: every rule of notebooks/sanitize.cfg, in order (as --nbval-sanitize-with applies them)."""
    import configparser
    import re

    config = configparser.ConfigParser(interpolation=None)
    config.read(Path(__file__).resolve().parents[1] / "notebooks" / "sanitize.cfg")
    for name in config.sections():
        text = re.sub(config[name]["regex"], config[name]["replace"], text)
    return text


def test_stored_outputs_hold_no_ids_times_or_durations_and_still_compare_equal():
    out = nbformat.v4.new_output
    run_id, when = "run-7d1dc682-1480-4331-a0f7-bf482fd28571", "2026-12-07 20:22:59+00:00"
    html = f'<span title="{when}">{run_id}</span> <b>0.13 s</b> <i>call_9e7212b55db7bff959e34428</i>'
    text = f"run_id: {run_id} | date: {when} | took 0.13 s"
    stored = scrub([out("display_data", data={"text/html": html, "text/plain": text}),
                    out("stream", name="stdout", text=text)])
    kept_html, kept_text = stored[0]["data"]["text/html"], stored[0]["data"]["text/plain"]
    for value in ("7d1dc682", "2026-12-07", "0.13", "9e7212b5"):
        assert value not in kept_html + kept_text + stored[1]["text"]
    assert "run-&lt;id&gt;" in kept_html and "<id>" not in kept_html, "HTML placeholders are escaped (no stray tags)"
    assert kept_text == "run_id: run-<id> | date: <timestamp> | took <duration>" == stored[1]["text"]
    # nbval, comparing a fresh run (new ids and times) with the stored form, sees the same thing
    fresh_html = html.replace("7d1dc682", "0a1b2c3d").replace("20:22:59", "21:00:01").replace("0.13", "0.41")
    assert _nbval_sanitized(kept_html) == _nbval_sanitized(fresh_html)
    assert _nbval_sanitized(kept_text) == _nbval_sanitized(text)
    assert _rules(), "the rules come from notebooks/sanitize.cfg"
