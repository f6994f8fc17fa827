// ts01 · a reference solution: one passage per text, returned flat and in order.
import Letta from "@letta-ai/letta-client";

export async function archiveAll(client: Letta, agentId: string, texts: string[]) {
  const passages = [];
  for (const text of texts) {
    const created = await client.agents.passages.create(agentId, { text }); // an array, not one passage
    passages.push(...created);
  }
  return passages;
}
