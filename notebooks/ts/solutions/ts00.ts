// ts00 · a reference solution: the assistant's words of a turn, whatever the shape of each message's content.
export function replyText(messages: { message_type?: string; content?: unknown }[]): string {
  const parts: string[] = [];
  for (const m of messages) {
    if (m.message_type !== "assistant_message") continue;
    const content = m.content;
    parts.push(typeof content === "string" ? content : Array.isArray(content) ? content.map((p) => p.text ?? "").join("") : "");
  }
  return parts.join("\n");
}
