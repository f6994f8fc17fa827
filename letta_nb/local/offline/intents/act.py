"""Doing things: a request that one of the agent's tools serves, arithmetic (deterministic, so answered), and Letta's
built-in web and code tools when they are attached (offline they fail, and the reply says why)."""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable

from .. import language as L
from .. import memory as M
from .. import tools as T
from ..arguments import fill
from ..context import Context
from ..plans import Action, Plan, reply
from ..replies import about_turn, one
from .ask import from_named_block
from .base import Intent, Unit
from .remember import update_block


def call_tool(ctx: Context, name: str, text: str, intent: str) -> Plan:
    arguments, absent = fill(ctx.tools[name], text, M.known(ctx))
    if absent:
        need = L.listing([a.replace("_", " ") for a in absent])
        return reply(f"I can do that with {name}, but I need the {need}. What should I use?",
                     f"{name} fits this request, but the message does not say which {need}; I'll ask.", intent)
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return Plan([Action(name, arguments, f"{name} fits this request; I'll call it with {shown}.")],
                about_turn, "", intent, writes=T.changes(name, ctx.tools[name]))


def _do(ctx: Context, unit: Unit) -> Plan | None:
    name, refused = T.choose(unit.text, ctx.tools, unit.form)
    if name is not None:
        return call_tool(ctx, name, unit.text, "do")
    # no tool for it, but a block that is the list: "what's on my to-do list?" reads it, "put X on my list" adds to it
    named = from_named_block(ctx, unit) or (update_block(ctx, unit) if unit.form == "request" else None)
    if named is not None:
        return named
    if refused is not None:
        return reply(f"I can change things with {refused}, but this reads as a question, and I have no tool that only "
                     "looks things up for it, so I've left everything as it was.",
                     f"{refused} changes things, and the user is asking, not asking me to change anything.", "do")
    if unit.form == "request" and not unit.strict:  # "Book a train to Lyon", and no tool books anything
        return reply("I can't do that here: none of my tools does it, and I can only act through my tools.",
                     "The user asks me to do something, but none of my tools does it; I'll say so rather than pretend.", "do")
    return None


# ------------------------------------------------------------------------------------------------ arithmetic
_WORDS = [(r"\bmultiplied by\b|\btimes\b|\bx\b|×", "*"), (r"\bdivided by\b|\bover\b|÷", "/"), (r"\bplus\b|\badd\b", "+"),
          (r"\bminus\b|\btake away\b|\bsubtract\b", "-"), (r"\bto the power of\b|\^", "**"), (r"\bsquared\b", "**2"),
          (r"\bcubed\b", "**3")]
_N = r"(?:£|\$|€)?(\d+(?:\.\d+)?)(?:\s*(?:quid|pounds?|dollars?|euros?|bucks))?"
_COUNT = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
          "ten": "10"}
# Sums said in words, as data: "add 3 and 4", "half of 37", "split a 96 pound bill three ways", "if four of us split..."
_PHRASES = [(rf"\badd {_N} (?:and|to) {_N}", r"(\1 + \2)"), (rf"\bhalf of {_N}", r"(\1 / 2)"),
            (rf"\b(?:a )?third of {_N}", r"(\1 / 3)"), (rf"\b(?:a )?quarter of {_N}", r"(\1 / 4)"),
            (rf"\b(?:double|twice) {_N}", r"(\1 * 2)"),
            (rf"\bsplit (?:an? |the |our )?{_N}(?: \w+)? (?:bill |total |cost )?(\d+) ways", r"(\1 / \2)"),
            (rf"\bsplit (?:an? |the |our )?{_N}(?: \w+)? (?:bill |total |cost )?(?:between|among) (\d+)", r"(\1 / \2)"),
            (rf"\b(\d+) of us split (?:an? |the |our )?{_N}", r"(\2 / \1)")]
_OPS: dict[type[ast.AST], Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Mod: operator.mod}


def _value(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 12:
            raise ValueError("too big")
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_value(node.operand))
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "sqrt" and len(node.args) == 1:
        return math.sqrt(_value(node.args[0]))
    raise ValueError("not arithmetic")


def expression(text: str) -> tuple[str, float] | None:
    """The arithmetic in a sentence, and its value: "what's 15% of 80?" -> ("15% of 80", 12.0)."""
    said = L.normal(text).lower().replace(",", "")
    said = re.sub(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent) of\s+(\d+(?:\.\d+)?)", r"(\1/100*\2)", said)
    said = re.sub(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent) off\s+(?:£|\$|€)?(\d+(?:\.\d+)?)", r"(\2*(1-\1/100))", said)
    said = re.sub(r"(?:the )?square root of\s+(\d+(?:\.\d+)?)", r"sqrt(\1)", said)
    said = re.sub(r"\b(two|three|four|five|six|seven|eight|nine|ten)\b(?= ways| of us| people)",
                  lambda m: _COUNT[m.group(1)], said)
    for pattern, template in _PHRASES:
        said = re.sub(pattern, template, said)
    for pattern, symbol in _WORDS:
        said = re.sub(pattern, f" {symbol} ", said)
    match = re.search(r"[-(]*\s*(?:\d|sqrt)(?:[\d\s.+\-*/()%]|sqrt)*", said)  # "sqrt" as a word, not its letters
    if not match:
        return None
    expr = match.group(0).strip()
    if not re.search(r"\d\s*[-+*/%]|sqrt|\*\*", expr) or re.fullmatch(r"[\d.\s]+", expr):
        return None
    try:
        value = _value(ast.parse(expr, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    shown = re.sub(r"\s+", " ", re.sub(r"\(([\d.]+)/100\*([\d.]+)\)", r"\1% of \2", expr)).replace("**", "^").strip()
    return shown, value


def number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "") if abs(value) < 1e15 else f"{value:g}"
    return f"{value:.6g}"


def _arithmetic(ctx: Context, unit: Unit) -> Plan | None:
    found = expression(unit.text)
    if found is None:
        return None
    shown, value = found
    return reply(f"{shown} = {number(value)}.", "This is arithmetic; I can work it out exactly without a tool.", "arithmetic")


# ---------------------------------------------------------------------------------------------- built-ins
_URL = re.compile(r"https?://\S+[\w/]")
# Where the code is in the sentence, in this order: fenced, in backticks, after a colon, after the verb.
_CODE = (re.compile(r"```(?:python|py|js|javascript)?\s*(.+?)```", re.S), re.compile(r"`([^`]+)`"), re.compile(r":\s*(.+)$", re.S),
         re.compile(r"\b(?:run|execute|evaluate)\s+(?:this\s+|the\s+)?(.+?)(?:\s+(?:in|with|using)\s+(?:js|javascript|node|"
                    r"python|py)\b.*)?$", re.S | re.I))
# Source code, whatever the sentence calls it: a call ("print(6*7)", "console.log(x)"), an import, backticks.
_CODE_LIKE = re.compile(r"```|`[^`]+`|\b[A-Za-z_][\w.]*\([^()]*(?:\([^()]*\)[^()]*)*\)|\bimport\s+\w+|\bdef\s+\w+\(")
_LANGUAGES = {"js": r"\b(?:js|javascript|node|console\.log)\b", "python": r"."}


def wants_code_run(text: str, shown: bool = False) -> bool:
    """ "run this python: print(6*7)", "can you execute console.log(2**10) in js": a request to run source code (with
    ``shown``, only when the code itself is in the sentence)."""
    return bool(re.search(r"\b(?:run|execute|evaluate)\b", text, re.I)) and bool(
        (not shown and re.search(r"\b(?:code|python|script|snippet)\b", text, re.I)) or _CODE_LIKE.search(text))


def run_code(text: str) -> Plan | None:
    found = (m.group(1).strip(" ?") for m in (p.search(text) for p in _CODE) if m)
    source = next((c for c in found if c), "")
    if not source:
        return None
    language = next(name for name, pattern in _LANGUAGES.items() if re.search(pattern, text, re.I))
    return one("run_code", {"code": source, "language": language}, "The user wants this code run; I'll use run_code.", "web")


def _web(ctx: Context, unit: Unit) -> Plan | None:
    url = _URL.search(unit.text)
    if url and ctx.offers("fetch_webpage"):
        return one("fetch_webpage", {"url": url.group(0)}, "The user wants this page read; I'll fetch it.", "web")
    if ctx.offers("run_code") and wants_code_run(unit.text):
        return run_code(unit.text)
    if ctx.offers("web_search"):
        words = re.sub(r"^(?:please\s+)?(?:search (?:the web|online|the internet)(?: for)?|google|look up online|"
                       r"find online|look online for|search for)\s+", "", L.normal(unit.text).strip(" ?.!"), flags=re.I)
        return one("web_search", {"query": words}, f"This needs the web; I'll search for \"{words}\".", "web")
    return None


INTENTS = [
    Intent("do", (
        "add milk to my shopping list", "put booking the train to Porto on my to-do list", "set a timer for ten minutes",
        "convert 5 miles to kilometres", "send an invoice to Ada for 120 euros", "roll two dice", "book a table for two",
        "check the stock of TechWidgets", "what's the weather like in Oslo today?", "calculate my BMI, I weigh 70 kg and "
        "I'm 1.75 m tall", "remind me to call mum at 6", "cancel my order 4411", "email Bob the report",
        "can you check whether order 1234 has shipped?", "how much is 50 dollars in euros?", "schedule a meeting for Friday",
        "tick off 'buy eggs' on my list", "count the words in notes.txt", "flip a coin", "start a 25 minute pomodoro",
        "what's on my calendar tomorrow?", "show me my to-do list", "translate hello into Spanish with the tool",
        "use the tool to look up order 77", "mark task 3 as done",
    ), _do, priority=45, can="use my tools"),
    Intent("arithmetic", (
        "what's 2 + 2?", "how much is 15% of 80?", "7 times 8?", "what is 100 divided by 4", "12 squared",
        "what's the square root of 81?", "calculate 3.5 * 4", "what's 1234 minus 567?", "2 to the power of 10",
        "what is 17 plus 25", "work out 45 / 9", "how much is 20 percent of 150?",
    ), _arithmetic, priority=40, grammar=True, can="work out simple arithmetic"),
    Intent("web", (
        "search the web for the latest Letta release", "google the opening hours of the Louvre", "look it up online",
        "fetch https://example.com and summarise it", "open this page: https://docs.letta.com", "run this python: print(6*7)",
        "execute this code: sum(range(10))", "find online reviews of the TechWidget", "search the internet for train times",
        "what does the Letta website say today?", "can you google who won the match last night",
        "have a look online for cheap flights",
    ), _web, priority=45),
]
