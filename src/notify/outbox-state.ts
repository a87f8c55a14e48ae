// The outbox's records and what they add up to: the messages not yet delivered and, per incident, the
// receipt later messages thread under. Applying the journal's records in order rebuilds it after a
// restart; `snapshot()` writes it back as the fewest records that rebuild the same state.
import type { Notification, Receipt } from "./notifier.js";

export type OutboxRecord =
  | { t: "enqueue"; seq: number; at: number; receiver: string; incident: string; notification: Notification }
  | { t: "done"; seq: number; receipt?: Receipt }
  | { t: "failed"; seq: number; error: string; attempts: number; fatal: boolean }
  | { t: "thread"; receiver: string; incident: string; receipt: Receipt }
  /** Written by compaction so sequence numbers keep increasing after the entries that used them are gone. */
  | { t: "seq"; next: number }
  /** Written by compaction: page keys already journalled, whose entries are gone. */
  | { t: "keys"; keys: string[] };

export interface OutboxEntry {
  seq: number;
  /** When it was enqueued, epoch ms. */
  at: number;
  receiver: string;
  /** The alert's id: fingerprint and episode. */
  incident: string;
  notification: Notification;
  /** Failed attempts so far. */
  attempts: number;
  lastError?: string;
}

/** Messages of one incident to one receiver are sent in order and thread under one receipt. */
export function incidentKey(receiver: string, incident: string): string {
  return `${receiver}\u0000${incident}`;
}

/** Page keys remembered per receiver; a page decided again this much later is long settled. */
const MAX_KEYS = 50_000;

export class OutboxState {
  readonly entries = new Map<number, OutboxEntry>();
  /** `receiver\0key` of every keyed page journalled, oldest first (bounded). */
  private readonly keys = new Set<string>();
  readonly threads = new Map<string, Receipt>();
  private readonly liveByIncident = new Map<string, number>();
  nextSeq = 1;

  apply(record: OutboxRecord): void {
    switch (record.t) {
      case "enqueue": {
        this.nextSeq = Math.max(this.nextSeq, record.seq + 1);
        if (this.entries.has(record.seq)) return;
        const { t: _t, ...entry } = record;
        this.entries.set(record.seq, { ...entry, attempts: 0 });
        if (record.notification.key !== undefined)
          this.remember(incidentKey(record.receiver, record.notification.key));
        const key = incidentKey(record.receiver, record.incident);
        this.liveByIncident.set(key, (this.liveByIncident.get(key) ?? 0) + 1);
        return;
      }
      case "done":
        this.finish(record.seq, record.receipt);
        return;
      case "failed": {
        const entry = this.entries.get(record.seq);
        if (entry === undefined) return;
        entry.attempts = record.attempts;
        entry.lastError = record.error;
        if (record.fatal) this.finish(record.seq, undefined);
        return;
      }
      case "thread":
        this.threads.set(incidentKey(record.receiver, record.incident), record.receipt);
        return;
      case "seq":
        this.nextSeq = Math.max(this.nextSeq, record.next);
        return;
      case "keys":
        for (const key of record.keys) this.remember(key);
    }
  }

  /** Whether a page with this key was journalled for the receiver already. */
  hasKey(receiver: string, key: string): boolean {
    return this.keys.has(incidentKey(receiver, key));
  }

  private remember(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.values().next().value as string);
  }

  /** Undelivered entries, oldest first. */
  pending(): OutboxEntry[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Records `snapshot()` would write, without building them. */
  snapshotSize(): number {
    let size = 2 + this.threads.size + this.entries.size;
    for (const entry of this.entries.values()) if (entry.attempts > 0) size += 1;
    return size;
  }

  snapshot(): OutboxRecord[] {
    const records: OutboxRecord[] = [
      { t: "seq", next: this.nextSeq },
      { t: "keys", keys: [...this.keys] },
    ];
    for (const [key, receipt] of this.threads) {
      const [receiver = "", incident = ""] = key.split("\u0000");
      records.push({ t: "thread", receiver, incident, receipt });
    }
    for (const entry of this.pending()) {
      const { attempts, lastError, ...rest } = entry;
      records.push({ t: "enqueue", ...rest });
      if (attempts > 0) {
        records.push({ t: "failed", seq: entry.seq, error: lastError ?? "", attempts, fatal: false });
      }
    }
    return records;
  }

  private finish(seq: number, receipt: Receipt | undefined): void {
    const entry = this.entries.get(seq);
    if (entry === undefined) return;
    this.entries.delete(seq);
    const key = incidentKey(entry.receiver, entry.incident);
    // The first receipt of an incident is the one its later messages thread under.
    if (receipt !== undefined && !this.threads.has(key)) this.threads.set(key, receipt);
    const live = (this.liveByIncident.get(key) ?? 1) - 1;
    if (live > 0) {
      this.liveByIncident.set(key, live);
      return;
    }
    this.liveByIncident.delete(key);
    // A resolve ends the episode: nothing will thread under its receipt again.
    if (entry.notification.event === "resolved") this.threads.delete(key);
  }
}
