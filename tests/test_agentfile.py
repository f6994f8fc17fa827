"""letta_nb.inspect_agent_file: an agent file's tools, the environment variables they read, its secrets; nothing run."""

from __future__ import annotations

import json
import sys
import uuid

import pytest

from letta_nb import LettaNbError
from letta_nb.agentfile import EnvReads, inspect_agent_file


def _reads(source: str) -> tuple[set, bool, bool]:
    reads = EnvReads.of(source)
    return reads.names, reads.whole, reads.dynamic


@pytest.mark.parametrize("source, names", [
    ('import os\nos.getenv("A")', {"A"}),
    ('import os\nos.getenv(key="A", default="x")', {"A"}),
    ('import os\nos.environ["A"]', {"A"}),
    ('import os\nos.environ.get("A", "")', {"A"}),
    ('import os\nos.environ.setdefault("A", "1"); os.environ.pop("B")', {"A", "B"}),
    ('import os\nif "A" in os.environ: pass', {"A"}),
    ('import os as o\no.environ["A"]; o.getenv("B")', {"A", "B"}),
    ('from os import environ as e, getenv as g\ne["A"]; e.get("B"); g("C")', {"A", "B", "C"}),
    ('def f():\n    import os\n    return os.environb[b"A"]', {"A"}),
])
def test_named_reads(source, names):
    assert _reads(source) == (names, False, False)


@pytest.mark.parametrize("source", [
    "import os\nreturn_value = dict(os.environ)",
    "import os\nx = os.environ.copy()",
    "import os\nfor k in os.environ: pass",
    "import os\nx = {**os.environ}",
    "from os import environ\nprint(environ)",
    "import os\nsubprocess_env = os.environ",
    'open("/proc/self/environ").read()',
    'open(f"/proc/1/environ")',
])
def test_whole_environment_reads(source):
    assert _reads(source)[1] is True


def test_dynamic_and_harmless():
    assert _reads('import os\nname = "A"\nos.getenv(name)') == (set(), False, True)
    assert _reads('import os\nos.path.join("a", "b")\nenviron = {}\nenviron["A"]') == (set(), False, False)


WEATHER = '''
def {name}(city: str) -> str:
    """Weather for a city.

    Args:
        city: The city.

    Returns:
        The forecast.
    """
    import os
    import urllib.request

    token = os.getenv("WEATHER_API_TOKEN")
    extra = os.environ.get("GITHUB_TOKEN", "")
    return f"sunny in {{city}}" if token else "no token"
'''


def test_an_exported_agent_file(letta, new_agent, tmp_path):
    name = f"lnb_weather_{uuid.uuid4().hex[:8]}"
    tool = letta.tools.upsert(source_code=WEATHER.format(name=name))
    try:
        agent = new_agent(tool_ids=[tool.id], secrets={"WEATHER_API_TOKEN": "real-value-not-exported"})
        exported = letta.agents.export_file(agent.id)
    finally:
        letta.tools.delete(tool.id)
    path = tmp_path / "weather.af"
    path.write_text(exported if isinstance(exported, str) else json.dumps(exported))
    modules = set(sys.modules)

    report = inspect_agent_file(path)

    assert set(sys.modules) - modules <= {"letta_nb.agentfile"}, "inspecting must not import anything of the file"
    assert "real-value-not-exported" not in path.read_text(), "an export carries secret names, not values"
    [custom] = report.custom_tools
    assert (custom.name, custom.env_vars, custom.reads_whole_env) == (name, ("GITHUB_TOKEN", "WEATHER_API_TOKEN"), False)
    assert "urllib" in custom.imports and custom.source.strip().startswith(f"def {name}(")
    assert [(a.name, a.secrets) for a in report.agents] == [(agent.name, ("WEATHER_API_TOKEN",))]
    assert custom.agents == (agent.name,)
    assert report.env_vars == {"GITHUB_TOKEN", "WEATHER_API_TOKEN"} and report.secrets == {"WEATHER_API_TOKEN"}
    assert any("GITHUB_TOKEN" in w and "no agent of the file declares" in w for w in report.warnings)
    assert any(w == f"{name} imports urllib." for w in report.warnings)
    text, html = repr(report), report._repr_mimebundle_()["text/html"]
    assert "reads env : GITHUB_TOKEN, WEATHER_API_TOKEN" in text and 'os.getenv("WEATHER_API_TOKEN")' in text
    assert "WEATHER_API_TOKEN" in html and "<script" not in html
    assert inspect_agent_file(path.read_text()).env_vars == report.env_vars  # the JSON text works too


def test_whole_environment_dump_is_flagged():
    data = {"agents": [{"name": "a", "tool_ids": ["tool-0"], "secrets": {}}],
            "tools": [{"id": "tool-0", "name": "dump", "tool_type": "custom", "source_type": "python",
                       "source_code": "def dump() -> str:\n    import os\n    return str(dict(os.environ))\n"}],
            "mcp_servers": [{"server_name": "files", "command": "npx", "args": ["-y", "some-server"]}]}
    report = inspect_agent_file(data)
    assert report.tools[0].reads_whole_env
    assert "dump reads the whole environment (os.environ itself), so every secret of its agent." in report.warnings
    assert any(w.startswith("MCP server files (npx -y some-server)") for w in report.warnings)
    assert "[the whole environment]" in repr(report)


def test_not_an_agent_file(tmp_path):
    with pytest.raises(LettaNbError, match="Cannot read the agent file"):
        inspect_agent_file(tmp_path / "missing.af")
    (tmp_path / "x.af").write_text("not json")
    with pytest.raises(LettaNbError, match="not JSON"):
        inspect_agent_file(tmp_path / "x.af")
    with pytest.raises(LettaNbError, match="no list of agents"):
        inspect_agent_file({"tools": []})
    broken = inspect_agent_file({"agents": [], "tools": [{"id": "t", "name": "bad", "source_code": "def (:"}]})
    assert broken.tools[0].problem.startswith("SyntaxError") and "could not be parsed" in broken.warnings[0]
