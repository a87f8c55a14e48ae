// Picks the series store tocsin.yaml asks for: the embedded memory store, or InfluxDB behind it.
import type { Clock } from "../util/clock.js";
import type { InfluxSettings } from "./influx-config.js";
import type { InfluxWriteFailure } from "./influx.js";
import { InfluxStore } from "./influx.js";
import { MemoryStore } from "./memory.js";
import type { SeriesStore } from "./series-store.js";

export interface StoreOptions {
  windowMs: number;
  retentionMs: number;
  clock: Clock;
  /** Snapshot file of the memory store; none when absent. */
  snapshotPath?: string;
  /** With InfluxDB: its settings and a folder for points spilled during an outage. */
  influx?: { settings: InfluxSettings; spillDir: string };
  /** With InfluxDB: told of every failed write or spill file error (metrics, logs). */
  onInfluxWriteFailed?: (failure: InfluxWriteFailure) => void;
}

export function createStore(options: StoreOptions): SeriesStore {
  const memory = new MemoryStore({
    windowMs: options.windowMs,
    retentionMs: options.retentionMs,
    clock: options.clock,
    ...(options.snapshotPath ? { snapshotPath: options.snapshotPath } : {}),
  });
  if (!options.influx) return memory;
  return new InfluxStore({
    memory,
    settings: options.influx.settings,
    spillDir: options.influx.spillDir,
    retentionMs: options.retentionMs,
    ...(options.onInfluxWriteFailed ? { onWriteFailed: options.onInfluxWriteFailed } : {}),
  });
}
