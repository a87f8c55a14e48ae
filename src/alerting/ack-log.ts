// Acknowledgements, journalled before the API answers: the alert state is saved with the series every
// snapshot_interval, and an acknowledgement made since must survive a crash, or escalation would page
// the next person about an alert someone already holds. At start the acks are applied again to the
// restored alerts, then the log is cut to the acks of alerts still open.
import { Journal } from "../util/journal.js";

export interface AckRecord {
  /** The alert episode's id. */
  alert: string;
  by: string;
  at: number;
  comment?: string;
}

export class AckLog {
  private constructor(
    private readonly journal: Journal<AckRecord>,
    /** The acks read at open, oldest first. */
    readonly recovered: readonly AckRecord[],
  ) {}

  static async open(path: string): Promise<AckLog> {
    const journal = new Journal<AckRecord>(path);
    const { records } = await journal.open();
    return new AckLog(journal, records);
  }

  /** Resolves once the ack is on disk. */
  append(record: AckRecord): Promise<void> {
    return this.journal.append(record);
  }

  /** Rewrites the log with the acks `keep` wants (those of alerts still open). */
  async keepOnly(keep: (record: AckRecord) => boolean): Promise<void> {
    const kept = this.recovered.filter(keep);
    if (kept.length !== this.recovered.length) await this.journal.compact(() => kept);
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}
