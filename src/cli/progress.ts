// A progress bar on a terminal (cli-progress), nothing when stderr is a pipe or a CI log.
import { SingleBar } from "cli-progress";

export interface Progress {
  start(total: number, label: string): void;
  increment(label?: string): void;
  stop(): void;
}

export function createProgress(): Progress {
  if (!process.stderr.isTTY)
    return { start: () => undefined, increment: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: "{bar} {value}/{total} {label}",
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  return {
    start: (total, label) => bar.start(total, 0, { label }),
    increment: (label) => bar.increment(1, label === undefined ? {} : { label }),
    stop: () => bar.stop(),
  };
}
