// Structured JSON logs (pino); human-readable when stderr is a terminal. Secrets are redacted by
// key wherever a log line could carry them (request headers, receiver configs, HTTP client errors).
import pino from "pino";

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  /** Pretty-print; defaults to whether stderr is a TTY. */
  pretty?: boolean;
  /** Where JSON lines go (tests); stderr by default. Ignored when pretty. */
  destination?: pino.DestinationStream;
}

/** Keys whose values are secrets in Tocsin's config, in its HTTP clients and in requests. */
const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "token",
  "password",
  "pass",
  "routing_key",
  "secret",
  "signing_secret",
  "api_key",
  "x-slack-signature",
  "cookie",
];

/**
 * pino redact paths (fast-redact: `*` matches one level, no deep wildcard): each secret key at the
 * top, one and two levels down, and in the headers of a request, a response or an axios error
 * (@slack/web-api's HTTP client puts the bot token in err.config.headers.Authorization).
 */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => {
  const at = /^[A-Za-z_]+$/.test(key) ? key : `["${key}"]`;
  const dot = at.startsWith("[") ? at : `.${at}`;
  return [
    at,
    `*${dot}`,
    `*.*${dot}`,
    `*.*.*${dot}`,
    `headers${dot}`,
    `*.headers${dot}`,
    `err.config.headers${dot}`,
    `err.response.config.headers${dot}`,
    `err.request.headers${dot}`,
  ];
});

export const REDACTED = "[redacted]";

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const level = options.level ?? "info";
  const redact = { paths: REDACT_PATHS, censor: REDACTED };
  if (!pretty)
    return pino({ level, redact, base: { service: "tocsin" } }, options.destination ?? pino.destination(2));
  return pino({
    level,
    redact,
    base: undefined,
    transport: {
      target: "pino-pretty",
      options: { destination: 2, translateTime: "HH:MM:ss", ignore: "pid,hostname" },
    },
  });
}

/** A logger that drops everything (tests, library use). */
export const silentLogger = (): Logger => pino({ level: "silent" });
