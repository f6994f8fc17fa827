"""scripts/store.py joins a cell's consecutive stream outputs into one, as nbval does before it compares, and drops
the displays that hold no data (the emptied live areas of letta_nb.stream)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from store import coalesce, without_empty_displays  # noqa: E402


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
