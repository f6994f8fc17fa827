"""Issue 17, "never confidently wrong": the general mechanisms that turn a confident wrong answer into the right one or
an honest one, each on sentences of its own (not the benchmark's). Pure: the model alone, no server."""

from __future__ import annotations

import json

from letta_nb.local.offline import agent, statements
from letta_nb.local.offline.intents.ask import keywords
from letta_nb.local.offline.replies import relevant

_S = {"type": "string"}
LETTA = {"memory_insert": {"label": _S, "new_string": _S},
         "memory_replace": {"label": _S, "old_string": _S, "new_string": _S},
         "conversation_search": {"query": _S}}


def _request(text: str, blocks: dict[str, str] | None = None, tools: dict | None = None, read_only: tuple = (),
             turn: list[tuple[str, dict, str]] = ()) -> dict:
    blocks = {"human": "", "persona": "I am a helpful assistant.", **(blocks or {})}
    shown = "".join(f"<{label}>\n<description>\n</description>\n<metadata>\n- chars_current={len(value)}\n"
                    f"- chars_limit=5000\n{'- read_only=true' if label in read_only else ''}\n</metadata>\n"
                    f"<value>\n{value}\n</value>\n</{label}>\n" for label, value in blocks.items())
    schemas = [{"type": "function", "function": {"name": n, "description": "", "parameters": {
        "type": "object", "properties": p, "required": list(p)}}} for n, p in {**LETTA, **(tools or {})}.items()]
    messages = [{"role": "system", "content": f"You are a helpful assistant.\n<memory_blocks>\n{shown}</memory_blocks>"},
                {"role": "user", "content": text}]
    for i, (name, arguments, result) in enumerate(turn):
        messages.append({"role": "assistant", "content": None, "tool_calls": [{"id": f"c{i}", "type": "function", "function": {
            "name": name, "arguments": json.dumps(arguments)}}]})
        messages.append({"role": "tool", "tool_call_id": f"c{i}", "content": result})
    return {"model": "offline", "tools": schemas, "messages": messages}


def _lines(text: str) -> list[str]:
    return [f.line for f in statements.read(text)]


def test_who_one_is_with_a_capital_is_no_name():
    assert _lines("I'm Deaf and I sign BSL") == ["Languages: BSL"]
    assert "Nationality: Welsh" in _lines("I'm Welsh and I live in Cardiff")
    assert not any(line.startswith("Name:") for line in _lines("I'm Catholic"))


def test_the_clauses_a_half_save_used_to_drop():
    assert _lines("I'm 35, widowed, living in Perth") == ["Age: 35", "Marital status: widowed", "Location: Perth"]
    assert "Goal: a campervan" in _lines("I'm saving up for a campervan") or "Goal: campervan" in _lines(
        "I'm saving up for a campervan")
    assert _lines("originally from Lagos but I've been in Leeds for years") == ["From: Lagos", "Location: Leeds"]
    assert _lines("Mia, my daughter, is crazy about horses")[0] == "Daughter: Mia"
    assert _lines("I don't eat meat") == ["Avoids: meat"]


def test_a_like_said_now_leaves_the_dislikes():
    step = agent.respond(_request("I love olives now", {"human": "Name: Bo\nDislikes: olives"}))
    assert step.tool_name == "memory_insert"
    plan = agent.plan(agent.Context.of(_request("I love olives now", {"human": "Name: Bo\nDislikes: olives"})))
    assert any(a.tool == "memory_replace" and "Dislikes: olives" in a.arguments["old_string"] for a in plan.actions)


def test_a_change_told_as_news_fixes_the_line_that_holds_the_old_value():
    step = agent.respond(_request("my brother moved from Porto to Lisbon last spring", {"human": "Brother: Rui, lives in Porto"}))
    assert (step.tool_name, step.arguments["new_string"]) == ("memory_replace", "Brother: Rui, lives in Lisbon")
    step = agent.respond(_request("Ines is 5 now, not 4", {"human": "Daughter: Ines, 4"}))
    assert step.arguments.get("new_string") == "Daughter: Ines, 5"


def test_a_search_hit_must_name_what_the_query_names():
    assert not relevant("the gate code for the Porto flat", "Flat in Madrid: gate code 4471.")


def test_a_conversation_search_that_finds_nothing_tries_the_next_word():
    assert "next" not in keywords("the cat next door was called")[:3]
    empty = json.dumps({"message": "ok", "results": []})
    first = agent.respond(_request("what did I say the cat next door was called?"))
    assert first.tool_name == "conversation_search"
    second = agent.respond(_request("what did I say the cat next door was called?",
                                    turn=[("conversation_search", first.arguments, empty)]))
    assert second.tool_name == "conversation_search" and second.arguments != first.arguments


def test_code_to_run_is_run_not_summed():
    tools = {"run_code": {"code": _S, "language": _S}}
    step = agent.respond(_request("please execute console.log(3*7) in javascript", tools=tools))
    assert (step.tool_name, step.arguments) == ("run_code", {"code": "console.log(3*7)", "language": "js"})
    step = agent.respond(_request("could you execute `print(sum(range(5)))`", tools=tools))
    assert step.arguments["code"] == "print(sum(range(5)))"


def test_a_greeting_only_mentioned_is_no_greeting():
    step = agent.respond(_request("how do you say good evening in Italian?"))
    assert "Hello" not in step.content and "didn't understand" in step.content


def test_a_change_is_never_answered_by_quoting_the_block():
    step = agent.respond(_request("change the opening hours to 8am", {"policies": "Opening hours: 9am to 5pm."},
                                  read_only=("policies",)))
    assert not step.tool_name and "According to" not in step.content


def test_a_link_to_summarise_without_a_page_tool_is_declined():
    step = agent.respond(_request("give me the gist of this: https://example.com/post"))
    assert "can't open links" in step.content


def test_a_generic_intent_does_not_take_a_specific_question():
    step = agent.respond(_request("do you have the red scarf in stock?"))
    assert "didn't understand" in step.content and not step.tool_name


def test_a_sentence_that_forbids_a_change_gets_no_tool_that_changes():
    from letta_nb.local.offline import tools as T

    schemas = {"send_invoice": {"description": "Send an invoice to a client.", "parameters": {"properties": {
        "client": {"type": "string", "description": "Who to bill."}}}}}
    assert T.choose("don't send the invoice to Acme yet", schemas, "statement")[0] is None


def test_a_question_about_what_was_done_is_no_search_of_the_conversation():
    step = agent.respond(_request("what did I learn at school?"))
    assert step.tool_name != "conversation_search"


def test_a_list_after_with_keeps_its_pets_and_a_change_is_no_new_fact():
    assert "Pets: our cat" in _lines("I live in Oslo with my husband Per and our cat") or any(
        line.startswith("Pets:") for line in _lines("I live in Oslo with my husband Per and our cat"))
    assert _lines("Ana has given up tennis") == []
    step = agent.respond(_request("I'm not in Bath any more, living in Bristol now", {"human": "Location: Bath"}))
    assert step.arguments.get("new_string") == "Location: Bristol"


def _with_tool(text: str, name: str, description: str, params: dict[str, str], blocks: dict[str, str] | None = None):
    request = _request(text, blocks)
    request["tools"].append({"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": {p: {"type": "string", "description": d} for p, d in params.items()},
        "required": list(params)}}})
    return agent.respond(request)


def test_a_question_my_memory_cannot_answer_goes_to_a_tool_that_has_all_it_needs():
    track = ("track_parcel", "Find out where a parcel is from its tracking number.",
             {"tracking_number": "The parcel's tracking number."})
    step = _with_tool("where's my parcel got to? tracking is QX-5521", *track)
    assert step.tool_name == "track_parcel" and step.arguments == {"tracking_number": "QX-5521"}
    step = _with_tool("where's my parcel got to?", *track)  # nothing to track it by: no call with a made-up number
    assert step.tool_name != "track_parcel"


def test_forgetting_what_a_sentence_names_in_its_own_words():
    blocks = {"human": "Name: Kit\nOwns: piano\nLocation: York\nHobbies: pottery, chess\nEmail: kit@example.org"}
    for said in ("strike the piano from your notes", "I sold my piano, please forget about it"):
        step = agent.respond(_request(said, blocks))
        assert step.tool_name == "memory_replace" and step.arguments["old_string"] == "\nOwns: piano"
    step = agent.respond(_request("I don't do pottery any more", blocks))
    assert step.arguments.get("new_string") == "Hobbies: chess"
    step = agent.respond(_request("forget my email address", blocks))  # "address" is also a word for where one lives
    assert step.arguments["old_string"] == "\nEmail: kit@example.org"
    plan = agent.plan(agent.Context.of(_request("forget my email but you can keep the city", blocks)))
    assert [a.arguments["old_string"] for a in plan.actions] == ["\nEmail: kit@example.org"]
    step = agent.respond(_request("I can't remember if I told you where I live", blocks))  # not a request to forget
    assert step.tool_name != "memory_replace"


def test_the_currency_beside_the_amount_is_the_one_converted_from():
    from letta_nb.local.offline.arguments import fill

    schema = {"parameters": {"properties": {"amount": {"type": "number", "description": "How much."},
              "from_currency": {"type": "string", "description": "Currency to convert from."},
              "to_currency": {"type": "string", "description": "Currency to convert to."}}}}
    assert fill(schema, "how many euros is 40 pounds")[0] == {"amount": 40.0, "from_currency": "GBP", "to_currency": "EUR"}
    assert fill(schema, "convert 12 dollars to yen")[0] == {"amount": 12.0, "from_currency": "USD", "to_currency": "JPY"}


def test_half_a_sentence_is_not_saved_as_if_it_were_all_of_it():
    # every name the sentence gives must be in what is saved, or nothing is saved and the reply says so
    step = agent.respond(_request("we've a dog, Bramble, and two goldfish called Salt and Pepper"))
    if step.tool_name == "memory_insert":
        assert all(n in step.arguments["new_string"] for n in ("Bramble", "Salt", "Pepper"))
    else:
        assert "didn't understand all of that" in step.content and not step.tool_name
    # a name said as what is not so is rightly left out
    step = agent.respond(_request("I live in Perth, the Australian one, not Scotland"))
    assert step.tool_name == "memory_insert" and "Perth" in step.arguments["new_string"]
    # a change told about someone my memory holds is never saved as a new line beside the old one
    blocks = {"human": "Name: Rui\nBrother: Tiago, chef in Braga"}
    step = agent.respond(_request("Tiago isn't cooking any more, he drives a taxi now", blocks))
    assert step.tool_name != "memory_insert"
    step = agent.respond(_request("Biscuit is actually a spaniel, not a beagle", {"human": "Pet: beagle called Biscuit"}))
    assert step.arguments == {"label": "human", "old_string": "Pet: beagle called Biscuit",
                              "new_string": "Pet: spaniel called Biscuit"}


def test_a_reference_is_no_amount_and_a_time_is_no_key():
    from letta_nb.local.offline.arguments import fill
    from letta_nb.local.offline.statements import line_key

    schema = {"parameters": {"properties": {"ticket": {"type": "string", "description": "The ticket reference."},
                                            "seats": {"type": "integer", "description": "How many seats."}}}}
    assert fill(schema, "refund ticket TK-4410")[0] == {"ticket": "TK-4410"}  # no seats: -4410 is part of the reference
    assert line_key("my train gets in at 7:45")[1] == "my train gets in at 7:45"
    assert line_key("Dentist: 9:30 on Monday")[1] == "9:30 on Monday"


def test_a_comment_after_a_value_is_no_part_of_it():
    assert _lines("I'm allergic to wasps, which is a pain in summer") == ["Allergies: wasps"]
    assert _lines("I'm allergic to wasps, just so you know") == ["Allergies: wasps"]


def test_the_earlier_message_that_answers_the_whole_question_is_the_one_quoted():
    # the turn so far: one search of the conversation that found two of the user's messages about Noor
    found = json.dumps({"results": [{"role": "user", "content": "Noor and I went climbing on Sunday"},
                                    {"role": "user", "content": "Noor is lending us her tent for the trip"}]})
    step = agent.respond(_request("what was Noor lending us, did I say?", turn=[("conversation_search", {"query": "Noor"},
                                                                               found)]))
    assert not step.tool_name and "tent" in step.content


def test_arguments_by_their_shape_and_from_memory():
    from letta_nb.local.offline.arguments import fill

    mail = {"parameters": {"properties": {"recipient": {"type": "string", "description": "Email address to send to."},
                                          "message": {"type": "string", "description": "What to say."}}}}
    assert fill(mail, "mail ana@example.org to say the keys are under the mat")[0] == {
        "recipient": "ana@example.org", "message": "the keys are under the mat"}
    event = {"parameters": {"properties": {"day": {"type": "string", "description": "The date of the event."}}}}
    assert fill(event, "lunch with Bo on the 3rd")[0] == {"day": "the 3rd"}
    # where the user lives, from memory, when the question names no place
    step = _with_tool("will it snow later?", "forecast", "Get the weather forecast for a town.",
                      {"town": "The town."}, {"human": "Name: Kit\nLocation: Aberdeen"})
    assert step.tool_name == "forecast" and step.arguments == {"town": "Aberdeen"}


def test_a_block_that_is_a_list_is_read_and_added_to_by_its_name():
    blocks = {"human": "Name: Kit", "shopping": "- eggs\n- rice"}
    step = agent.respond(_request("what's on my shopping list?", blocks))
    assert not step.tool_name and "eggs" in step.content and "rice" in step.content
    step = agent.respond(_request("add 'olive oil' to the shopping list", blocks))
    assert step.tool_name == "memory_insert" and step.arguments == {"label": "shopping", "new_string": "- olive oil"}


def test_called_asks_for_a_name_not_for_the_users_own():
    blocks = {"human": "Name: Owen", "household": "Dog: Rufus"}
    step = agent.respond(_request("what are my pets called?", blocks))
    assert "Owen" not in step.content
    step = agent.respond(_request("what am I called?", blocks))
    assert "Owen" in step.content
