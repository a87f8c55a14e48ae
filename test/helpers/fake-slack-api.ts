// A local HTTP server speaking the Slack Web API's shape for chat.postMessage and chat.update, for tests:
// form-urlencoded bodies, bearer token, {ok, channel, ts, message} answers, and failures on demand.
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback-server.js";

export interface SlackApiRequest {
  /** "chat.postMessage", "chat.update". */
  method: string;
  /** The form fields, with `blocks` parsed from its JSON string. */
  params: Record<string, unknown>;
  /** The body as it arrived (form-urlencoded). */
  body: string;
  authorization: string | undefined;
}

/**
 * How the next request fails: HTTP 500; Slack's 200 {ok:false,error} refusals; HTTP 429 with
 * Retry-After: 7; the server stopped (connection refused); or an answer held back `slowMs`.
 */
export type SlackApiFailure =
  "server_error" | "invalid_auth" | "channel_not_found" | "rate_limited" | "unreachable" | "slow";

export interface FakeSlackApi {
  /** For WebClient's slackApiUrl: http://127.0.0.1:PORT/api/ */
  apiUrl: string;
  requests: SlackApiRequest[];
  /** A failure kind, or any Slack error code to answer as 200 {ok:false, error}. */
  failNext(failure: SlackApiFailure | { error: string }): void;
  stop(): Promise<void>;
}

/** Channel names resolve to ids the way Slack answers them: "#comms-alerts" → "CCOMMSALERTS". */
export const channelId = (channel: string): string =>
  /^[CGD][A-Z0-9]+$/.test(channel) ? channel : `C${channel.replace(/[^a-z0-9]/gi, "").toUpperCase()}`;

const reply = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
};

export async function startFakeSlackApi({
  token,
  slowMs = 2_000,
}: {
  token: string;
  slowMs?: number;
}): Promise<FakeSlackApi> {
  const requests: SlackApiRequest[] = [];
  const failures: Array<SlackApiFailure | { error: string }> = [];
  /** Messages posted, by "channel ts", with the text they hold now. */
  const messages = new Map<string, Record<string, unknown>>();
  let clock = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(body));
    if (typeof params.blocks === "string") params.blocks = JSON.parse(params.blocks) as unknown;
    const method = (request.url ?? "").replace(/^\/api\//, "");
    const authorization = request.headers.authorization;
    requests.push({ method, params, body, authorization });

    const failure = failures.shift();
    if (failure === "slow") await new Promise((resolve) => setTimeout(resolve, slowMs));
    if (failure === "server_error") return reply(response, 500, { ok: false, error: "internal_error" });
    if (failure === "rate_limited")
      return reply(response, 429, { ok: false, error: "ratelimited" }, { "retry-after": "7" });
    if (failure === "invalid_auth" || failure === "channel_not_found")
      return reply(response, 200, { ok: false, error: failure });
    if (typeof failure === "object") return reply(response, 200, { ok: false, error: failure.error });

    if (!authorization) return reply(response, 200, { ok: false, error: "not_authed" });
    if (authorization !== `Bearer ${token}`)
      return reply(response, 200, { ok: false, error: "invalid_auth" });
    const channel = channelId(String(params.channel ?? ""));
    if (method === "chat.postMessage") {
      const threadTs = params.thread_ts;
      if (typeof threadTs === "string" && !messages.has(`${channel} ${threadTs}`)) {
        return reply(response, 200, { ok: false, error: "thread_not_found" });
      }
      clock += 1;
      const ts = `${1_772_798_400 + clock}.${String(clock).padStart(6, "0")}`;
      const message = {
        type: "message",
        text: params.text,
        blocks: params.blocks,
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      messages.set(`${channel} ${ts}`, message);
      return reply(response, 200, { ok: true, channel, ts, message });
    }
    if (method === "chat.update") {
      const ts = String(params.ts ?? "");
      const key = `${channel} ${ts}`;
      if (!messages.has(key)) return reply(response, 200, { ok: false, error: "message_not_found" });
      messages.set(key, { ...messages.get(key), text: params.text, blocks: params.blocks });
      return reply(response, 200, { ok: true, channel, ts, text: params.text, message: messages.get(key) });
    }
    return reply(response, 200, { ok: false, error: "unknown_method" });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      reply(response, 500, { ok: false, error: String(error) }),
    );
  });
  const { port, stop } = await listenOnLoopback(server);

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    requests,
    failNext(failure) {
      // Stopping closes the listening socket at once: the next connection is refused.
      if (failure === "unreachable") void stop();
      else failures.push(failure);
    },
    stop,
  };
}
