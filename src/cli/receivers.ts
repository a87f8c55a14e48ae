// The receivers the CLI's notify commands reach: by name from tocsin.yaml, built through the notifier
// registry exactly as the engine builds them, or (previews only) a channel type with stand-in settings.
import type { Config } from "../config/schema.js";
import { ConsoleNotifier } from "../notify/console.js";
import { createReceiver } from "../notify/delivery.js";
import type { Notifier } from "../notify/notifier.js";
import { NOTIFIERS, notifierByType } from "../notify/registry.js";

export interface Receiver {
  /** The receiver's name in tocsin.yaml, or the channel type for a stand-in. */
  name: string;
  type: string;
  notifier: Notifier;
}

/**
 * Settings for previewing a channel nobody configured: valid for its schema, obviously fake, and
 * never used to send (a preview makes no request).
 */
const STAND_INS: Readonly<Record<string, object>> = {
  slack: { token: "xoxb-preview", channel: "#alerts" },
  email: { host: "smtp.example.com", from: "Tocsin <tocsin@example.com>", to: "oncall@example.com" },
  pagerduty: { routing_key: "preview-routing-key" },
  webhook: { url: "https://hooks.example.com/tocsin", secret: "preview-secret" },
};

/** Every channel type a preview can name: the registry's, and the built-in console. */
export const CHANNEL_TYPES = [...NOTIFIERS.map((definition) => definition.type), "console"];

/** The configured receiver `name`; an unknown name is an error that lists the configured ones. */
export function configuredReceiver(config: Config, name: string): Receiver {
  const settings = Object.hasOwn(config.receivers, name) ? config.receivers[name] : undefined;
  if (!settings) {
    const names = Object.keys(config.receivers);
    const known =
      names.length > 0
        ? `configured receivers: ${names.join(", ")}`
        : "no receivers are configured (receivers: in the tocsin.yaml of --config or $TOCSIN_CONFIG)";
    throw new Error(`unknown receiver "${name}"; ${known}`);
  }
  return { name, type: String(settings.type), notifier: createReceiver(name, settings) };
}

/**
 * What `--channel` names for a preview: a configured receiver, the configured receivers of a channel
 * type (or a stand-in when there is none), or console; without it, every receiver and console.
 */
export function previewReceivers(config: Config, channel: string | undefined): Receiver[] {
  const names = Object.keys(config.receivers);
  const console: Receiver = {
    name: "console",
    type: "console",
    notifier: new ConsoleNotifier({ color: false }),
  };
  if (channel === undefined) return [...names.map((name) => configuredReceiver(config, name)), console];
  if (names.includes(channel)) return [configuredReceiver(config, channel)];
  if (channel === "console") return [console];
  const definition = notifierByType(channel);
  if (!definition) {
    const receivers = names.length > 0 ? `receivers: ${names.join(", ")}; ` : "";
    throw new Error(`unknown channel "${channel}"; ${receivers}channel types: ${CHANNEL_TYPES.join(", ")}`);
  }
  const ofType = names.filter((name) => String(config.receivers[name]?.type) === channel);
  if (ofType.length > 0) return ofType.map((name) => configuredReceiver(config, name));
  const settings = definition.schema.parse(STAND_INS[channel] ?? {});
  return [{ name: channel, type: channel, notifier: definition.create(settings, { name: channel }) }];
}
