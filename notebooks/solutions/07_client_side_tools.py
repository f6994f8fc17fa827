# Chapter 07 · a reference solution for the exercise.
from letta_nb.client_tools import Decision, run_turn


def guarded_invoice(client, agent_id: str, message: str, limit_eur: float) -> list:
    def decide(call):
        amount = call.args.get("amount_eur")
        if call.name == "nb07_send_invoice" and amount is not None and float(amount) <= limit_eur:
            return Decision.approve()
        return Decision.deny(f"invoices above {limit_eur} EUR need a manager's approval")

    return run_turn(client, agent_id, message, decide=decide).messages
