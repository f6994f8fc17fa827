"""First-level hints: for each chapter's exercise, the idea from the chapter that solves it, in plain English.

``letta_nb.exercises.hint("NN")`` shows one of these; ``hint("NN", 2)`` shows the chapter's registered hint, which
names the call to use. A first hint names the concept only: no SDK call, no code (the tests check it).
"""

from __future__ import annotations

CONCEPTS: dict[str, str] = {
    "00": "A response is a list of typed messages: keep only the assistant's, telling them apart by their message "
          "type. Read each one's text in a way that works whether its content is a plain string or a list of parts.",
    "01": "SDK errors form one family of exceptions: catch the narrow one that means there is no such agent and turn "
          "it into None, and hand every other API error to the helper that turns an error into a sentence with a fix.",
    "02": "A block is text the agent reads line by line: change the key's own line where it stands and keep the "
          "others as they are. Compare the whole new text with the block's limit before you write anything: the server "
          "does not enforce it.",
    "03": "Archival memory is a store of passages searched by meaning; tags label a passage when it is stored and "
          "filter a search exactly. A search gives results rather than passages: return each result's content, in "
          "the order the search ranks them.",
    "04": "A shared block is one block attached to several agents, not a copy per agent. Attach the block you were "
          "given to each agent, then ask the block itself which agents it belongs to: some had it before your call.",
    "05": "A tool is a plain Python function whose docstring describes its arguments; the server stores its source and "
          "runs it in a sandbox. Installing it takes two steps: register it on the server, then attach it to the agent.",
    "06": "A tool runs in the server's sandbox, not in your kernel: it learns which agent called it from its "
          "environment, and reaches that agent's memory through a client, injected when the secrets allow it and "
          "built by the tool otherwise. The list lives as JSON text in the agent's tasks block: read, change, write back.",
    "07": "A tool that needs approval pauses the turn and shows you the call, arguments included. Decide from the "
          "arguments: let the server run it when the amount is within the limit, refuse it otherwise with a reason the "
          "model can pass on, and keep answering until the turn ends.",
    "08": "A background run keeps going on the server when your connection drops, and every chunk carries its run and "
          "its sequence number. Remember the last one you received and, when the stream breaks, resume that same run "
          "after it instead of sending the message again.",
    "09": "Conversations with one agent can run side by side, but one conversation takes one turn at a time. Serve "
          "each user in a conversation of their own, one message after the other, and serve all the users at once.",
    "10": "A user's agents of this application carry two tags, so match both at once, not either; and an agent's "
          "blocks outlive it unless they are deleted too. Their conversations on the shared agent are those whose "
          "summary is exactly their user label, not one that merely starts with it.",
    "11": "A sleeptime agent is a second agent in the main agent's group, and its work shows up as runs. Find the "
          "group's agents, poll their runs until none is still going, and check a deadline before each wait.",
    "12": "An agent file carries the whole agent except its secret values: only their names travel. Export the agent, "
          "import the file under the new name, and give the import the values you read from the original agent.",
    "13": "Each requirement of the desk is one rule the server enforces: what runs first, how a tool's output picks "
          "the one tool that may follow, what waits for a person, and what ends the turn. Write one rule per "
          "requirement, as plain dicts with a type.",
    "14": "Some failures pass by themselves: no answer, a timeout, too many requests, the server's own error. Others "
          "fail the same way every time, like a wrong id or an invalid request; try again only after the first kind, a "
          "limited number of times, and let the caller see the error you could not get past.",
    "15": "The app already has a verb for each step: use them rather than raw SDK calls. Give Cy an assistant, teach it "
          "the tagged note, then speak as Cy twice: once stating the fact, once asking what only the archive knows, "
          "so that the agent searches it itself.",
    "16": "A fork is an independent copy of an agent's whole state, memory and history included. Make one copy per "
          "persona, change only the copy's persona before you talk to it, keep its reply as text, and delete the copy "
          "once the reply is in: the original must not notice anything.",
}
