# Chapter 07 · a reference solution for the exercise.
import json


def guarded_invoice(client, agent_id: str, message: str, limit_eur: float) -> list:
    response = client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": message}])
    transcript = list(response.messages)
    while response.stop_reason.stop_reason == "requires_approval":
        request = [m for m in response.messages if m.message_type == "approval_request_message"][-1]
        answers = []
        for call in request.tool_calls or [request.tool_call]:
            amount = json.loads(call.arguments or "{}").get("amount_eur")
            if call.name == "nb07_send_invoice" and amount is not None and float(amount) <= limit_eur:
                answers.append({"type": "approval", "tool_call_id": call.tool_call_id, "approve": True})
            else:
                answers.append({"type": "approval", "tool_call_id": call.tool_call_id, "approve": False,
                                "reason": f"invoices above {limit_eur} EUR need a manager's approval"})
        response = client.agents.messages.create(agent_id=agent_id,
                                                 messages=[{"type": "approval", "approvals": answers}])
        transcript.extend(response.messages)
    return transcript
