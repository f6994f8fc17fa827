// Checkers for the TypeScript track's exercises: `await check("ts00", yourFunction)` prints whether it works.
// Each checker works on scratch agents of its own and deletes them; tests/ts/exercises_test.ts proves each one
// rejects the stub and a plausible wrong answer and accepts the reference solution in solutions/.
import Letta from "@letta-ai/letta-client";
import { connect, defaultModels, deleteAgents, textOf } from "./letta_nb.ts";

export type Verdict = { passed: boolean; message: string };
// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => unknown;

const HINTS: Record<string, string> = {
  ts00: "keep the assistant_message entries; `typeof m.content === \"string\"` tells the two shapes of content apart",
  ts01: "`client.agents.passages.create(agentId, { text })` returns an array: collect `...created`, not `created`",
  ts02: "`client.conversations.messages.create(id, { messages })` gives a stream: `for await` it and keep " +
    "assistant_message chunks",
};

const pass = (message: string): Verdict => ({ passed: true, message });
const notYet = (message: string): Verdict => ({ passed: false, message });

async function run(fn: Fn, ...args: unknown[]): Promise<{ value?: unknown; error?: Verdict }> {
  try {
    return { value: await fn(...args) };
  } catch (error) {
    const text = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    if (/not implemented/i.test(text)) return { error: notYet("the exercise still throws 'not implemented': replace it with your code") };
    return { error: notYet(`your function threw ${text.slice(0, 200)}`) };
  }
}

async function ts00(fn: Fn): Promise<Verdict> {
  const cases: [string, object[], string][] = [
    ["a string content", [{ message_type: "assistant_message", content: "Hi!" }], "Hi!"],
    ["an array of text parts", [{ message_type: "assistant_message", content: [{ type: "text", text: "Hello " }, { type: "text", text: "there" }] }], "Hello there"],
    ["reasoning before the reply", [{ message_type: "reasoning_message", reasoning: "thinking" }, { message_type: "assistant_message", content: "Done." }], "Done."],
    ["two replies", [{ message_type: "assistant_message", content: "One." }, { message_type: "tool_call_message" }, { message_type: "assistant_message", content: [{ type: "text", text: "Two." }] }], "One.\nTwo."],
    ["no reply at all", [{ message_type: "reasoning_message", reasoning: "nothing to say" }], ""],
  ];
  for (const [name, messages, expected] of cases) {
    const { value, error } = await run(fn, messages);
    if (error) return error;
    if (value !== expected) return notYet(`for ${name} it returned ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
  }
  return pass("replyText reads both shapes of content and keeps only the assistant's words");
}

async function scratchAgent(client: Letta, name: string) {
  const { model, embedding } = await defaultModels(client);
  await deleteAgents(client, name);
  return await client.agents.create({ name, model, embedding, memory_blocks: [{ label: "human", value: "Name: unknown" }] });
}

async function ts01(fn: Fn, client: Letta): Promise<Verdict> {
  const agent = await scratchAgent(client, "ts01-checker");
  try {
    const texts = ["The office opens at 9.", "Refunds take 5 days.", "Parking is on level 2."];
    const { value, error } = await run(fn, client, agent.id, texts);
    if (error) return error;
    if (!Array.isArray(value)) return notYet(`it returned ${typeof value}, expected an array of passages`);
    if (value.some(Array.isArray)) return notYet("it returned an array of arrays: passages.create returns an array itself");
    const got = value.map((p) => (p && typeof p === "object" && "text" in p ? String(p.text) : "?"));
    if (JSON.stringify(got) !== JSON.stringify(texts)) return notYet(`the passages' texts are ${JSON.stringify(got)}, expected ${JSON.stringify(texts)}`);
    const stored = (await client.agents.passages.list(agent.id)).map((p) => p.text).sort();
    if (JSON.stringify(stored) !== JSON.stringify([...texts].sort())) return notYet(`the agent's archival memory holds ${stored.length} passages, expected ${texts.length}`);
    return pass("archiveAll stores every text once and returns the passages themselves, in order");
  } finally {
    await deleteAgents(client, "ts01-checker");
  }
}

async function ts02(fn: Fn, client: Letta): Promise<Verdict> {
  const agent = await scratchAgent(client, "ts02-checker");
  try {
    const conversation = await client.conversations.create({ agent_id: agent.id });
    const { value, error } = await run(fn, client, conversation.id, "Hello!");
    if (error) return error;
    if (typeof value !== "string" || !value) return notYet(`it returned ${JSON.stringify(value)}: the assistant's reply was expected`);
    const stored = (await client.conversations.messages.list(conversation.id, { limit: 50 })).getPaginatedItems();
    const replies = stored.filter((m) => m.message_type === "assistant_message").map((m) => textOf("content" in m ? m.content : ""));
    if (!replies.includes(value)) return notYet(`it returned ${JSON.stringify(value)}, but the conversation holds ${JSON.stringify(replies)}`);
    return pass("streamReply sends in the conversation and returns the reply it streamed");
  } finally {
    await deleteAgents(client, "ts02-checker");
  }
}

const CHECKERS: Record<string, (fn: Fn, client: Letta) => Promise<Verdict>> = { ts00, ts01, ts02 };

/** The verdict on `fn` for exercise `id`, printed nowhere. */
export async function verdict(id: string, fn: Fn, client: Letta = connect()): Promise<Verdict> {
  return await CHECKERS[id](fn, client);
}

/** Check an exercise and print the verdict: a ✓, or "not yet" with what is wrong and a hint. */
export async function check(id: string, fn: Fn, client: Letta = connect()): Promise<void> {
  const result = await verdict(id, fn, client);
  console.log(result.passed ? `✓ ${result.message}` : `not yet: ${result.message}\nHint: ${HINTS[id]}`);
}
