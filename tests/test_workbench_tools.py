"""letta_nb.try_tool: a tool's source run in the real server's sandbox with no agent, its schema, secrets hidden."""

from __future__ import annotations

import pytest

import letta_nb
from letta_nb import LettaNbError
from letta_nb.workbench import ToolTrial

SECRET = "sk-test-9f8e7d6c5b4a"


def wb_weather(city: str, days: int = 1) -> str:
    """Tell the weather.

    Args:
        city: The city to look up.
        days: How many days ahead.
    """
    import os
    import sys

    key = os.environ.get("WB_WEATHER_KEY", "none")
    print(f"calling the API with {key}")
    print(f"debug: key={key}", file=sys.stderr)
    return f"{city} in {days} days: sunny (key {key})"


def wb_no_args(city: str) -> str:
    """Tell the weather."""
    return city.upper()


def _everything(trial: ToolTrial) -> str:
    return "\n".join([trial._repr_html_(), repr(trial), str(trial.args), trial.returned, trial.stdout, trial.stderr,
                      *trial.warnings, *trial._repr_mimebundle_().values()])


def test_return_stdout_stderr_and_schema(letta):
    trial = letta_nb.try_tool(letta, wb_weather, city="Lyon", days=2)
    assert trial.status == "success" and trial.ok, trial
    assert trial.returned == "Lyon in 2 days: sunny (key none)"
    assert trial.stdout == "calling the API with none\n"
    assert trial.stderr == "debug: key=none\n"
    assert trial.schema["name"] == "wb_weather"
    assert trial.schema["description"] == "Tell the weather."
    assert trial.schema["parameters"]["properties"]["city"] == {"type": "string", "description": "The city to look up."}
    assert trial.schema["parameters"]["required"] == ["city"]
    text = repr(trial)
    assert text.startswith("Tool trial wb_weather [success]")
    for part in ("returned", "Lyon in 2 days", "stdout", "stderr", "schema the model reads", '"description": "How many days ahead."'):
        assert part in text
    assert "lnb-card" in trial._repr_html_() and "Lyon in 2 days" in trial._repr_html_()


def test_secret_values_never_shown(letta):
    trial = letta_nb.try_tool(letta, wb_weather, city="Lyon", secrets={"WB_WEATHER_KEY": SECRET})
    # The sandbox got the value (the tool printed and returned it), and every place that shows it has the name instead.
    assert trial.returned == "Lyon in 1 days: sunny (key [secret WB_WEATHER_KEY])"
    assert trial.stdout == "calling the API with [secret WB_WEATHER_KEY]\n"
    assert "key=[secret WB_WEATHER_KEY]" in trial.stderr
    assert trial.secrets == ("WB_WEATHER_KEY",)
    assert SECRET not in _everything(trial)
    assert SECRET[:12] not in _everything(trial)


def test_secret_passed_as_an_argument_is_hidden_too(letta):
    trial = letta_nb.try_tool(letta, wb_weather, city=SECRET, secrets={"WB_WEATHER_KEY": SECRET})
    assert trial.args == {"city": "[secret WB_WEATHER_KEY]"}
    assert SECRET not in _everything(trial)


def test_missing_args_section_shows_and_the_tool_still_runs(letta):
    trial = letta_nb.try_tool(letta, wb_no_args, city="lyon")
    assert trial.schema is None and not trial.ok
    assert trial.returned == "LYON" and trial.status == "success"  # the body ran on a schema made from the signature
    (warning,) = trial.warnings
    assert "Parameter 'city' in function 'wb_no_args' lacks a description in the docstring" in warning
    assert "Add an Args: section" in warning
    text = repr(trial)
    assert "[1 warning]" in text and "Add an Args: section" in text and "schema the model reads" not in text


def test_source_string_error_and_argument_warnings(letta):
    source = '''
def wb_divide(a: int, b: int) -> float:
    """Divide a by b.

    Args:
        a: The dividend.
        b: The divisor.
    """
    return a / b
'''
    first = letta_nb.try_tool(letta, source, a=1, b=0, c=3)
    assert first.name == "wb_divide" and first.status == "error" and not first.ok
    assert "ZeroDivisionError" in first.returned
    assert 'File "<sandbox>"' in first.stderr and "tool_execution_dir" not in first.stderr
    assert any("c is not a parameter of the tool (it has a, b)" in w for w in first.warnings)
    # The text form is the same on every run: no temporary file names, ids or times.
    assert repr(letta_nb.try_tool(letta, source, a=1, b=0, c=3)) == repr(first)
    missing = letta_nb.try_tool(letta, source, a=1)
    assert any(w.startswith("Missing argument b:") for w in missing.warnings), missing.warnings


def test_no_docstring_names_the_fix(letta):
    trial = letta_nb.try_tool(letta, "def wb_one():\n    return 1\n")
    assert trial.returned == "1"
    assert any("missing docstring" in w and "Give the function a docstring" in w for w in trial.warnings)


@pytest.mark.parametrize("source, message", [
    ("x = 1", "defines no function"),
    ("def f(:\n  pass", "is not valid Python"),
    (42, "needs a function or its source code"),
])
def test_bad_input_is_a_sentence_before_any_request(source, message):
    with pytest.raises(LettaNbError, match=message):
        letta_nb.try_tool(None, source)
