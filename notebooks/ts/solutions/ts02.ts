// ts02 · a reference solution: send in a conversation, read its stream, return the assistant's reply.
import Letta from "@letta-ai/letta-client";
import { textOf } from "../letta_nb.ts";

export async function streamReply(client: Letta, conversationId: string, text: string): Promise<string> {
  const stream = await client.conversations.messages.create(conversationId, {
    messages: [{ role: "user", content: text }],
  });
  let reply = "";
  for await (const chunk of stream) {
    if (chunk.message_type === "assistant_message") reply += textOf(chunk.content);
  }
  return reply;
}
