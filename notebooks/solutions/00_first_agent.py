# Chapter 00 · a reference solution for the exercise.
import letta_nb


def assistant_text(response) -> str:
    return "\n".join(letta_nb.text_of(m) for m in response.messages if m.message_type == "assistant_message")
