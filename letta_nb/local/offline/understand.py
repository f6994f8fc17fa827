"""From the user's message to a plan: each sentence is matched to the intents by meaning (:mod:`.meaning`), the
winner fills its slots, and the sentences' plans are put together. When no intent is close enough, or two that would
do different things are tied, or the winner's slots cannot be filled, the model says plainly that it did not
understand, names what it can do, and writes nothing.

Explicit priorities, all in this module: a custom tool that fits a request beats an intent that yields to tools
(``do``, ``lookup``, ``live``...); a greeting or thanks is dropped when the same message asks for something else; the
plans of one message run in the intents' ``priority`` order (a fact before the question after it); source code to run,
with run_code attached, is run whatever the sentence is nearest.
"""

from __future__ import annotations

from dataclasses import replace

from . import language as L
from . import meaning, replies
from . import memory as M
from . import tools as T
from .arguments import complete
from .context import Context
from .intents import INTENTS, Unit
from .intents.act import call_tool, run_code, wants_code_run
from .plans import Plan

# Intents that a custom tool which fits the sentence overrides: the tool is what the app author gave the agent for it.
YIELDS_TO_TOOLS = {"do", "lookup", "live", "knowledge", "creative", "aside", "web", "capabilities", "story", "recall_all"}
# Intents that such a tool overrides unless their own words are there: "I wonder if I put the dentist in my reminders"
# is for list_reminders, "what did I say about the dentist?" for a search of the conversation.
YIELDS_UNLESS_SAID = {"history"}
# Per engine, in its own units: below the floor by up to `band`, the best intent is still taken when it leads every
# other kind of intent by `clear`; an intent whose slots come from grammar (Intent.grammar) is taken down to
# `grammar` below the floor when it ranks first and its slots fill: the grammar is the evidence that e5 lacks for
# short sentences with names in them ("Bo teaches yoga"); above the floor, such an intent within `lead` of the best
# one wins when its slots fill from explicit words.
BANDS = {"e5-small": {"band": 0.03, "clear": 0.04, "grammar": 0.08, "lead": 0.02},
         "lexical": {"band": 0.0, "clear": 1.0, "grammar": 0.08, "lead": 0.02}}
# Two intents that do the same kind of thing are no real tie.
_KIN = [{"recall", "recall_all"}, {"tell", "correct"}, {"lookup", "do", "web"}, {"knowledge", "live", "creative", "aside"},
        {"greet", "how_are_you", "ping"}, {"note", "tell"}, {"recall", "history"}, {"correct", "forget"}]


_EDITS = {"tell", "correct", "forget", "note"}
_ANSWERED_BY_A_TOOL = {"recall", "recall_all", "lookup", "aside", "knowledge", "live", "do"}


def _kin(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _KIN)


def honest(ctx: Context, why: str) -> Plan:
    return Plan([], lambda ctx: replies.not_understood(ctx), why, "unknown")


def _weak_tool(ctx: Context, unit: Unit) -> str | None:
    """A tool that fits the sentence only weakly, for when no intent of the model's own is close to the sentence;
    acted on only when the message holds every argument the tool needs: no guess, and no question back."""
    if unit.form == "statement":
        return None
    weak, _ = T.choose(unit.text, ctx.tools, unit.form, uncontested=True)
    return weak if weak is not None and complete(ctx.tools[weak], unit.message, M.known(ctx)) else None


def understand(ctx: Context, unit: Unit) -> Plan:
    """The plan for one sentence."""
    if ctx.offers("run_code") and wants_code_run(unit.text, shown=True) and wants_code_run(unit.message, shown=True):
        # source code to run is explicit, whatever the sentence is nearest: "can you execute `print(2**10)`" is neither
        # a question about what I can do nor a sum
        code = run_code(unit.message)  # the whole message: code has its own full stops and semicolons
        if code is not None:
            return code
    bank = meaning.bank()
    floor, margin = bank.thresholds
    bands = BANDS[bank.engine]
    ranked = [r for r in bank.rank(unit.text) if unit.form in INTENTS[r.intent].forms]
    tool = None
    if unit.form != "statement" or ranked and ranked[0].intent in ("do", "aside"):
        tool, _ = T.choose(unit.text, ctx.tools, unit.form)
    said = ctx.user_text if len(L.units(ctx.user_text)) > 1 else unit.text
    if not ranked or ranked[0].intent in YIELDS_TO_TOOLS or ranked[0].score < floor:
        fitting = tool or (_weak_tool(ctx, unit) if not ranked or ranked[0].score < floor else None)
        if fitting is not None:
            return call_tool(ctx, fitting, said, "do")
    elif tool is not None and ranked[0].intent in YIELDS_UNLESS_SAID and INTENTS[ranked[0].intent].plan(
            ctx, replace(unit, strict=True)) is None:
        return call_tool(ctx, tool, said, "do")
    contenders = [r for r in ranked if r.score >= floor]
    if not contenders:
        # below the floor, the first intent that reads its slots from grammar and finds them (strictly) is taken
        strict = replace(unit, strict=True)
        for near in (r for r in ranked[:5] if r.score >= floor - bands["grammar"] and INTENTS[r.intent].grammar):
            plan = INTENTS[near.intent].plan(ctx, strict)
            if plan is not None:
                return plan
    if not contenders and ranked and ranked[0].score >= floor - bands["band"]:
        # a little below the floor, one intent still counts when it stands clear of every other kind of intent
        rivals = [r for r in ranked[1:] if not _kin(r.intent, ranked[0].intent)]
        if not INTENTS[ranked[0].intent].social and (not rivals or ranked[0].score - rivals[0].score >= bands["clear"]):
            contenders = [ranked[0]]
    if not contenders and unit.form == "question" and ctx.offers("archival_memory_search", "semantic_search_files"):
        # a question I can't place may still be answered by my notes ("who's in charge of Heron?"): a search changes
        # nothing, and its relevance floor makes "found nothing relevant" the honest answer when they don't hold it
        plan = INTENTS["lookup"].plan(ctx, unit)
        if plan is not None and plan.actions:
            return plan
    if not contenders:
        best = ranked[0] if ranked else None
        return honest(ctx, "I can't tell what this message asks for" + (
            f" (it is closest to {best.intent}, but not close enough)" if best else "") + "; rather than guess, I'll say so "
            "and change nothing.")
    # explicit grammar settles a near-tie: "Remember that I am vegetarian" is as close to "do you remember..." and
    # "don't remember..." as to a fact, but only the fact is there in its words
    strict = replace(unit, strict=True)
    lead = contenders[0].score - bands["lead"]
    for near in (r for r in contenders if r.score >= lead and INTENTS[r.intent].grammar):
        if INTENTS[near.intent].plan(ctx, strict) is not None:
            plan = INTENTS[near.intent].plan(ctx, unit)
            if plan is not None:  # (what reads strictly reads plainly too)
                return plan
    tied = [r for r in contenders[1:] if contenders[0].score - r.score < margin and not _kin(r.intent, contenders[0].intent)]
    # a kindred intent is the fallback when the nearest finds nothing to act on: "I don't do pottery any more" reads
    # like a correction, and is a thing to forget
    # (memory edits only: "find online reviews" with no web tool is not a search of my own notes)
    kin = [r for r in contenders[1:] if r.intent != contenders[0].intent and {r.intent, contenders[0].intent} <= _EDITS
           and _kin(r.intent, contenders[0].intent)][:1]
    for candidate in [contenders[0], *tied, *kin]:
        plan = INTENTS[candidate.intent].plan(ctx, unit)
        if plan is not None:
            others = [t for t in tied if t is not candidate and INTENTS[t.intent].plan(ctx, unit) is not None]
            explicit = [t for t in [candidate, *others] if INTENTS[t.intent].grammar
                        and INTENTS[t.intent].plan(ctx, replace(unit, strict=True)) is not None]
            settled = INTENTS[explicit[0].intent].plan(ctx, unit) if others and len(explicit) == 1 else None
            if settled is not None:  # "note: the wifi password is...": the explicit words settle the tie
                return settled
            if others and candidate is contenders[0]:
                return honest(ctx, f"This could mean {candidate.intent} or {others[0].intent}; rather than guess, I'll "
                                   "ask.")
            # "where's my order? it's #A-10442": my memory has nothing, and a tool has all it needs ("what city do I
            # live in?" is no request for the weather in a city still to be named)
            if plan.empty and tool is not None and complete(ctx.tools[tool], unit.message, M.known(ctx)):
                return call_tool(ctx, tool, unit.message, "do")
            return plan
    if tool is not None:  # the intent found nothing to act on, but one of my tools fits the request
        return call_tool(ctx, tool, unit.text, "do")
    return honest(ctx, f"This reads like {contenders[0].intent}, but I couldn't find what to act on in it; I'll say so "
                       "and change nothing.")


def decide(ctx: Context) -> Plan:
    """The plan for the whole message: its sentences' plans, in priority order."""
    units = [Unit(u, L.form(u), ctx.user_text) for u in L.units(ctx.user_text)]
    plans = [(INTENTS[p.intent].priority if p.intent in INTENTS else 100, i, p)
             for i, p in enumerate(understand(ctx, u) for u in units)]
    if len(plans) > 1 and plans[0][2].intent == "update_block" and ":" in units[0].text:
        return plans[0][2]  # "Update the team status: A. B.": everything after the colon went into the block
    understood = [t for t in plans if t[2].intent != "unknown"]
    if not understood:
        return plans[0][2] if plans else honest(ctx, "The message is empty.")
    asks = [t for t in understood if t[2].intent not in INTENTS or not INTENTS[t[2].intent].social]
    if all(t[2].intent == "aside" for t in asks) and len(asks) < len(understood):
        asks = []  # "Hello! Let's plan the Lyon trip.": the greeting is what can be answered
    social = [t for t in understood if t[2].intent in INTENTS and INTENTS[t[2].intent].social]
    kept = sorted(asks or social or understood[-1:], key=lambda t: (t[0], t[1]))
    # a sentence that a tool call of the same message answers ("... What's my BMI?") needs no answer of its own
    if any(a.tool in T.custom_tools(ctx.tools) for _, _, p in kept for a in p.actions):
        kept = [t for t in kept if t[2].actions or t[2].intent not in _ANSWERED_BY_A_TOOL] or kept
    # one plan per intent: two sentences that both greet, or both tell, become one
    seen, merged = set(), []
    for _, _, plan in kept:
        if plan.intent in seen and not plan.actions:
            continue
        seen.add(plan.intent)
        merged.append(plan)
    result = merged[0]
    for plan in merged[1:]:
        result = result.then(plan)
    return replace(result, intent=result.intent)
