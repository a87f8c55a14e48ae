// A small local HTTP server on 127.0.0.1 (port 0) for the HTTP notifiers' tests: records every
// request as it arrived (method, path, headers, raw body) and answers with a configurable success,
// or fails the next request on demand (500, 400, 429 + Retry-After: 7, or stops listening).
import type { IncomingHttpHeaders } from "node:http";
import { createServer } from "node:http";
import { listenOnLoopback } from "./loopback-server.js";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received, for signatures and escaping checks. */
  body: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer this late, to test timeouts. */
  delayMs?: number;
}

export type HttpFailure = "server_error" | "bad_request" | "rate_limited" | "unreachable";

export interface FakeHttpReceiver {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  /** Answers the next request with this instead of the success answer. */
  answerNext(answer: Answer): void;
  /** The next request fails this way; "unreachable" stops listening at once (connections are refused). */
  failNext(failure: HttpFailure): void;
  /** Stops listening and drops kept-alive connections; safe to call twice. */
  stop(): Promise<void>;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value),
});

const FAILURES: Record<Exclude<HttpFailure, "unreachable">, Answer> = {
  server_error: json(500, { status: "error", message: "internal error" }),
  bad_request: json(400, { status: "invalid event", message: "Event object is invalid" }),
  rate_limited: json(429, { status: "throttled", message: "slow down" }, { "retry-after": "7" }),
};

/** `success` answers every request that was not told to fail (default 200 with {}). */
export async function startFakeHttpReceiver(
  success: (request: RecordedRequest) => Answer = () => json(200, {}),
): Promise<FakeHttpReceiver> {
  const requests: RecordedRequest[] = [];
  const queued: Answer[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request: RecordedRequest = {
        method: incoming.method ?? "",
        path: incoming.url ?? "",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const answer = queued.shift() ?? success(request);
      const reply = () => {
        if (outgoing.destroyed) return;
        outgoing.writeHead(answer.status, answer.headers ?? {});
        outgoing.end(answer.body ?? "");
      };
      if (answer.delayMs === undefined) reply();
      else setTimeout(reply, answer.delayMs).unref();
    });
  });
  const { port, stop } = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerNext: (answer) => void queued.push(answer),
    failNext: (failure) => {
      // server.close() closes the listening socket synchronously; the promise only waits for "close".
      if (failure === "unreachable") void stop();
      else queued.push(FAILURES[failure]);
    },
    stop,
  };
}

export const jsonAnswer = json;
