# Chapter 07 · a reference solution for the exercise.
import json
from pathlib import Path

COUNT_WORDS = {
    "name": "count_words",
    "description": "Count the words in a text file of the user's working folder.",
    "parameters": {
        "type": "object",
        "properties": {"path": {"type": "string", "description": "File name inside the working folder"}},
        "required": ["path"],
    },
}


def count_words_turn(client, agent_id: str, folder: Path, path: str) -> list:
    def count_words(path: str) -> str:
        return str(len((Path(folder) / Path(path).name).read_text().split()))  # .name: stay in the folder

    response = client.agents.messages.create(
        agent_id=agent_id,
        messages=[{"role": "user", "content": f"call count_words {json.dumps({'path': path})}"}],
        client_tools=[COUNT_WORDS],
    )
    transcript = list(response.messages)
    while response.stop_reason.stop_reason == "requires_approval":
        request = [m for m in response.messages if m.message_type == "approval_request_message"][-1]
        answers = []
        for call in request.tool_calls or [request.tool_call]:
            if call.name != "count_words":
                answers.append({"type": "approval", "tool_call_id": call.tool_call_id, "approve": False,
                                "reason": f"{call.name} is not available here."})
                continue
            try:
                output, status = count_words(**json.loads(call.arguments or "{}")), "success"
            except Exception as error:  # the model should read the failure
                output, status = f"{type(error).__name__}: {error}", "error"
            answers.append({"type": "tool", "tool_call_id": call.tool_call_id, "tool_return": output, "status": status})
        response = client.agents.messages.create(
            agent_id=agent_id, messages=[{"type": "approval", "approvals": answers}], client_tools=[COUNT_WORDS]
        )
        transcript.extend(response.messages)
    return transcript
