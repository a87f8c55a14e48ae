// Structured JSON logs (pino); human-readable when stderr is a terminal.
import pino from "pino";

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  /** Pretty-print; defaults to whether stderr is a TTY. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const level = options.level ?? "info";
  if (!pretty) return pino({ level, base: { service: "tocsin" } }, pino.destination(2));
  return pino({
    level,
    base: undefined,
    transport: {
      target: "pino-pretty",
      options: { destination: 2, translateTime: "HH:MM:ss", ignore: "pid,hostname" },
    },
  });
}

/** A logger that drops everything (tests, library use). */
export const silentLogger = (): Logger => pino({ level: "silent" });
