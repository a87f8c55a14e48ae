// The "HTTP + JSON.parse floor" of bench/http-ingest.ts: a bare node:http server, in its own process
// like `tocsin run`, that reads each POST body, JSON.parses every NDJSON line and answers 202 with the
// count, as POST /v1/mentions answers. No validation, no dedup, no aggregation, no write-ahead log:
// what any Node ingest endpoint pays before doing anything with the mentions.
//   node --import tsx bench/lib/http-floor-server.ts   → prints "floor listening on http://127.0.0.1:PORT"
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let parsed = 0;

const server = createServer((request, response) => {
  if (request.method === "GET") {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ parsed }));
    return;
  }
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    let accepted = 0;
    let start = 0;
    for (let end = text.indexOf("\n", start); end !== -1; end = text.indexOf("\n", start)) {
      if (end > start && JSON.parse(text.slice(start, end))) accepted++;
      start = end + 1;
    }
    if (start < text.length && JSON.parse(text.slice(start))) accepted++;
    parsed += accepted;
    response
      .writeHead(202, { "content-type": "application/json" })
      .end(JSON.stringify({ accepted, rejected: [], duplicates: 0, late: 0 }));
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.error(`floor listening on http://127.0.0.1:${port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
