import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { startServer } from "../src/api/server.js";
import { testEngine } from "./helpers/engine.js";
import { wire } from "./helpers/mentions.js";

interface Answer {
  accepted: number;
  rejected: Array<{ line: number; error: string }>;
  error?: string;
}

const ndjson = (items: unknown[]) =>
  items.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join("\n");

const post = (app: ReturnType<typeof createApp>, body: string, type = "application/x-ndjson") =>
  app.request("/v1/mentions", { method: "POST", body, headers: { "content-type": type } });

/** Streams a chunked body that never ends; resolves with the answer and the bytes sent before it. */
function streamForever(
  url: string,
): Promise<{ status: number; body: string; sentBefore: number; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/mentions`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", "transfer-encoding": "chunked" },
    });
    const line = `${JSON.stringify(wire({ text: "x".repeat(900) }))}\n`;
    let sent = 0;
    let stop = false;
    const closed = new Promise<void>((done) => req.on("close", () => done()));
    const pump = () => {
      if (stop) return;
      sent += line.length;
      if (req.write(line)) setImmediate(pump);
      else req.once("drain", pump);
    };
    req.on("error", () => {
      stop = true;
    });
    req.on("response", (response) => {
      const sentBefore = sent;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        stop = true;
        resolve({ status: response.statusCode ?? 0, body, sentBefore, closed });
      });
      response.on("error", reject);
    });
    pump();
  });
}

describe("body size", () => {
  it("413 with a JSON error when Content-Length is over ingest.body_limit, before reading the body", async () => {
    const { engine } = await testEngine("ingest:\n  body_limit: 1KiB\n");
    const body = ndjson(Array.from({ length: 20 }, () => wire({ text: "x".repeat(100) })));
    const response = await post(createApp(engine), body);
    expect(response.status).toBe(413);
    expect(((await response.json()) as Answer).error).toBe("body is larger than the limit of 1024 bytes");
  });

  it("413 for a streamed body that never ends: answered once the limit is passed, and the connection closed", async () => {
    const { engine } = await testEngine("ingest:\n  body_limit: 64KiB\n");
    const server = await startServer(createApp(engine), "127.0.0.1:0", {});
    try {
      const answer = await streamForever(server.url);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ error: "body is larger than the limit of 65536 bytes" });
      // Answered while the client was still sending: the server stopped reading near the limit
      // (socket buffers aside), it did not wait for an end that never comes.
      expect(answer.sentBefore).toBeLessThan(2 * 1024 * 1024);
      await answer.closed;
    } finally {
      await server.close();
    }
  });
});

describe("line length", () => {
  it("an NDJSON line over ingest.max_line_bytes is rejected by number; the other lines are kept", async () => {
    const { engine } = await testEngine("ingest:\n  max_line_bytes: 1KiB\n");
    const body = ndjson([wire(), wire({ text: "y".repeat(2000) }), wire()]);
    const response = await post(createApp(engine), body);
    expect(response.status).toBe(202);
    const answer = (await response.json()) as Answer;
    expect(answer.accepted).toBe(2);
    expect(answer.rejected).toEqual([{ line: 2, error: "line is longer than the limit of 1024 characters" }]);
  });
});

describe("batch size", () => {
  it("up to ingest.max_batch mentions are taken", async () => {
    const { engine } = await testEngine("ingest:\n  max_batch: 5\n");
    const response = await post(createApp(engine), ndjson(Array.from({ length: 5 }, () => wire())));
    expect(response.status).toBe(202);
    expect(((await response.json()) as Answer).accepted).toBe(5);
  });

  it("413 for one more, bad lines included, and none of the batch is ingested", async () => {
    const { engine } = await testEngine("ingest:\n  max_batch: 5\n");
    const app = createApp(engine);
    const response = await post(app, ndjson([...Array.from({ length: 5 }, () => wire()), "{broken"]));
    expect(response.status).toBe(413);
    expect(((await response.json()) as Answer).error).toBe(
      "6 mentions in one request; the limit is 5 (ingest.max_batch): split the batch",
    );
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(/^tocsin_mentions_ingested_total 0$/m);
  });

  it("413 for a JSON array over the limit too", async () => {
    const { engine } = await testEngine("ingest:\n  max_batch: 2\n");
    const body = JSON.stringify([wire(), wire(), wire()]);
    const response = await post(createApp(engine), body, "application/json");
    expect(response.status).toBe(413);
    expect(((await response.json()) as Answer).error).toContain("the limit is 2 (ingest.max_batch)");
  });
});
