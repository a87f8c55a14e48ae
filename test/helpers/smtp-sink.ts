// A real SMTP server (smtp-server) on 127.0.0.1 and a free port that keeps every email it accepts, raw and
// parsed by mailparser, and can refuse the next transaction with a chosen reply code or go away.
import type { AddressInfo, Socket } from "node:net";
import { simpleParser } from "mailparser";
import type { ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** The message exactly as it came over DATA. */
  raw: string;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
}

export interface SmtpSinkOptions {
  /** When given, AUTH is required and must match. */
  user?: string;
  password?: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  readonly mails: ReceivedMail[];
  /** TCP connections accepted so far (a pooled client reuses one). */
  readonly connections: number;
  /**
   * Refuses the next transaction with `code`: after RCPT TO (the envelope) or after the message (DATA).
   * 421 also closes the connection, as the server does when it says so.
   */
  failNext(code: number, stage?: "rcpt" | "data"): void;
  /** Stops listening and drops every connection at once: the server is unreachable afterwards. */
  stop(): Promise<void>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let failure: { code: number; stage: "rcpt" | "data" } | undefined;
  /** The RCPT refusal of the transaction under way: every recipient of it is refused alike. */
  let refusingRcpt: number | undefined;
  const refusal = (code: number) =>
    Object.assign(new Error(code >= 500 ? "Refused by the test sink" : "Try again later (test sink)"), {
      responseCode: code,
    });
  const takeDataFailure = () => {
    if (failure?.stage !== "data") return undefined;
    const error = refusal(failure.code);
    failure = undefined;
    return error;
  };
  const requireAuth = options.user !== undefined;

  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !requireAuth,
    allowInsecureAuth: true,
    closeTimeout: 50,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
      }
    },
    onMailFrom(_address, _session, callback) {
      refusingRcpt = failure?.stage === "rcpt" ? failure.code : undefined;
      if (refusingRcpt !== undefined) failure = undefined;
      callback();
    },
    onRcptTo(_address, _session, callback) {
      callback(refusingRcpt === undefined ? null : refusal(refusingRcpt));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const refused = takeDataFailure();
        if (refused) return callback(refused);
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address;
            mails.push({
              raw,
              parsed,
              envelope: { from, to: session.envelope.rcptTo.map((to) => to.address) },
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.on("error", () => undefined); // a client dropped mid-session; nothing to report
  const port = (server.server.address() as AddressInfo).port;

  let stopped: Promise<void> | undefined;
  return {
    host: "127.0.0.1",
    port,
    mails,
    get connections() {
      return connections;
    },
    failNext(code, stage = "rcpt") {
      failure = { code, stage };
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}
