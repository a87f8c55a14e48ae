// Every channel a receiver in tocsin.yaml can use, by `type`: the config schemas are assembled from
// here, like the detectors' (console and the alert log are built in, not receivers).
import { emailNotifier } from "./email.js";
import type { NotifierDefinition } from "./notifier.js";
import { pagerdutyNotifier } from "./pagerduty.js";
import { slackNotifier } from "./slack.js";
import { webhookNotifier } from "./webhook.js";

export const NOTIFIERS: readonly NotifierDefinition[] = [
  slackNotifier,
  emailNotifier,
  pagerdutyNotifier,
  webhookNotifier,
] as NotifierDefinition[];

export function notifierByType(type: string): NotifierDefinition | undefined {
  return NOTIFIERS.find((definition) => definition.type === type);
}
