// What the end-to-end paging tests share: the demo crisis as an NDJSON file, and a local server
// speaking PagerDuty Events API v2 (202 {status, message, dedup_key}).
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { writeScenario } from "../../examples/demo/generate.js";
import type { FakeHttpReceiver } from "./fake-http-receiver.js";
import { jsonAnswer, startFakeHttpReceiver } from "./fake-http-receiver.js";

/** Writes the default demo scenario (a week, one crisis) into `dir` and returns its path. */
export async function writeDemoFile(dir: string): Promise<string> {
  const path = join(dir, "demo.ndjson");
  const out = createWriteStream(path);
  await writeScenario({}, out);
  await new Promise<void>((resolve) => out.end(resolve));
  return path;
}

export interface PagerDutyEvent {
  event_action: string;
  dedup_key: string;
  payload?: { summary: string; severity: string; custom_details: Record<string, unknown> };
}

export function startFakePagerDuty(): Promise<FakeHttpReceiver> {
  return startFakeHttpReceiver((request) => {
    const { dedup_key } = JSON.parse(request.body) as PagerDutyEvent;
    return jsonAnswer(202, { status: "success", message: "Event processed", dedup_key });
  });
}

export const pagerDutyEvents = (server: FakeHttpReceiver): PagerDutyEvent[] =>
  server.requests.map((request) => JSON.parse(request.body) as PagerDutyEvent);
