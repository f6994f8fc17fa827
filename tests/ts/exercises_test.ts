// The TypeScript track's exercise checkers against the real stack (run by tests/test_ts_track.py with
// `deno test --config notebooks/ts/deno.json`): each rejects its stub and a plausible wrong answer, and accepts the
// reference solution in notebooks/ts/solutions/.
import Letta from "@letta-ai/letta-client";
import { verdict } from "../../notebooks/ts/exercises.ts";
import { textOf } from "../../notebooks/ts/letta_nb.ts";
import { replyText } from "../../notebooks/ts/solutions/ts00.ts";
import { archiveAll } from "../../notebooks/ts/solutions/ts01.ts";
import { streamReply } from "../../notebooks/ts/solutions/ts02.ts";

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const stub = () => {
  throw new Error("not implemented: your code here");
};

async function expectNotYet(id: string, fn: (...args: never[]) => unknown, says: string) {
  const result = await verdict(id, fn);
  assert(!result.passed, `${id}: a wrong answer passed: ${result.message}`);
  assert(result.message.includes(says), `${id}: expected ${JSON.stringify(says)} in ${JSON.stringify(result.message)}`);
}

async function expectPass(id: string, fn: (...args: never[]) => unknown) {
  const result = await verdict(id, fn);
  assert(result.passed, `${id}: the reference solution failed: ${result.message}`);
}

Deno.test("ts00 rejects the stub and a reader of string content only, accepts the solution", async () => {
  await expectNotYet("ts00", stub, "not implemented");
  const stringsOnly = (messages: { message_type?: string; content?: unknown }[]) =>
    messages.filter((m) => m.message_type === "assistant_message").map((m) => String(m.content)).join("\n");
  await expectNotYet("ts00", stringsOnly, "an array of text parts");
  const everyMessage = (messages: { content?: unknown }[]) => messages.map((m) => textOf(m.content)).join("\n");
  await expectNotYet("ts00", everyMessage, "reasoning before the reply");
  await expectPass("ts00", replyText);
});

Deno.test("ts01 rejects the stub and unflattened passages, accepts the solution", async () => {
  await expectNotYet("ts01", stub, "not implemented");
  const nested = async (client: Letta, agentId: string, texts: string[]) => {
    const passages = [];
    for (const text of texts) passages.push(await client.agents.passages.create(agentId, { text })); // not ...spread
    return passages;
  };
  await expectNotYet("ts01", nested, "array of arrays");
  const firstOnly = async (client: Letta, agentId: string, texts: string[]) =>
    await client.agents.passages.create(agentId, { text: texts[0] });
  await expectNotYet("ts01", firstOnly, "texts are");
  await expectPass("ts01", archiveAll);
});

Deno.test("ts02 rejects the stub and an unread stream, accepts the solution", async () => {
  await expectNotYet("ts02", stub, "not implemented");
  const unread = async (client: Letta, conversationId: string, text: string) => {
    await client.conversations.messages.create(conversationId, { messages: [{ role: "user", content: text }] });
    return "";
  };
  await expectNotYet("ts02", unread, "reply was expected");
  await expectPass("ts02", streamReply);
});
