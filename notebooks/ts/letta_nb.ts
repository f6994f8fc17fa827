// The TypeScript track's small helpers, the counterpart of the Python chapters' `letta_nb` (connect, default models,
// re-runnable agents, clean up, a message's text). Each one is a few lines of the raw SDK, shown in chapter ts00.
import Letta from "@letta-ai/letta-client";

export const LOCAL_URL = "http://127.0.0.1:8283";

/** A client for LETTA_BASE_URL, else Letta Cloud when LETTA_API_KEY is set, else the local stack. */
export function connect(): Letta {
  const baseURL = Deno.env.get("LETTA_BASE_URL") ?? (Deno.env.get("LETTA_API_KEY") ? undefined : LOCAL_URL);
  return new Letta({ baseURL, apiKey: Deno.env.get("LETTA_API_KEY") ?? "no-key-needed-locally" });
}

// The same preferences as letta_nb.default_models: a real provider's model if the server has one, else the offline one.
const PREFERRED_MODELS = ["openai/gpt-4.1-mini", "openai/gpt-4o-mini", "anthropic/claude-haiku-4-5-20251001",
  "anthropic/claude-sonnet-4-5-20250929", "google_ai/gemini-2.5-flash", "letta-nb/offline"];
const PREFERRED_EMBEDDINGS = ["openai/text-embedding-3-small"];

/** The chat model and embedding to use: LETTA_NB_MODEL / LETTA_NB_EMBEDDING, else what the server offers. */
export async function defaultModels(client: Letta): Promise<{ model: string; embedding: string }> {
  const models = (await client.models.list()).map((m) => m.handle ?? "");
  const embeddings = (await client.models.embeddings.list()).map((m) => m.handle ?? "");
  const model = Deno.env.get("LETTA_NB_MODEL") ?? PREFERRED_MODELS.find((h) => models.includes(h)) ??
    models.find((h) => h && h !== "letta/letta-free");
  const embedding = Deno.env.get("LETTA_NB_EMBEDDING") ?? PREFERRED_EMBEDDINGS.find((h) => embeddings.includes(h)) ??
    embeddings[0];
  if (!model || !embedding) throw new Error("this server offers no chat model or no embedding model");
  return { model, embedding };
}

/** Delete the agents with this name (and the blocks only they used), so a chapter can run again. */
export async function deleteAgents(client: Letta, name: string): Promise<number> {
  const agents = [];
  for await (const agent of client.agents.list({ name })) agents.push(agent);
  for (const agent of agents) {
    const blocks = [];
    for await (const block of client.agents.blocks.list(agent.id)) blocks.push(block);
    await client.agents.delete(agent.id);
    for (const block of blocks) {
      const users = await client.blocks.agents.list(block.id!);
      if (users.getPaginatedItems().length === 0) await client.blocks.delete(block.id!);
    }
  }
  return agents.length;
}

/** A new agent called `name`: an earlier one of that name is deleted first. */
export async function freshAgent(client: Letta, name: string, body: Omit<Letta.AgentCreateParams, "name">) {
  await deleteAgents(client, name);
  return await client.agents.create({ name, ...body });
}

/** Delete the tools with these names (tool names are global on a server). */
export async function deleteTools(client: Letta, names: string[]): Promise<void> {
  for (const name of names) {
    const tools = [];
    for await (const tool of client.tools.list({ name })) tools.push(tool);
    for (const tool of tools) await client.tools.delete(tool.id);
  }
}

/** A message's text: `content` is a string or an array of parts (the Skill's type guard). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : "")).join("");
  }
  return "";
}

type AnyMessage = { message_type?: string; [key: string]: unknown };

/** One line per message, like the Python chapters' transcripts. */
export function transcript(messages: Iterable<object>): string {
  const lines: string[] = [];
  for (const message of messages) {
    const m = message as AnyMessage;
    const call = (m.tool_call ?? {}) as { name?: string; arguments?: string };
    const line: Record<string, () => string> = {
      reasoning_message: () => `reasoning: ${m.reasoning}`,
      assistant_message: () => `assistant: ${textOf(m.content)}`,
      tool_call_message: () => `tool call: ${call.name}(${call.arguments})`,
      approval_request_message: () => `approval requested: ${call.name}(${call.arguments})`,
      tool_return_message: () => `tool return: [${m.status}] ${m.tool_return}`,
      user_message: () => `user: ${textOf(m.content)}`,
      stop_reason: () => `stop reason: ${m.stop_reason}`,
    };
    const show = line[m.message_type ?? ""];
    if (show) lines.push(show());
  }
  return lines.join("\n");
}

