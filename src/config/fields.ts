// Config-specific schema fields; durations and sizes come from util/schema-fields.ts.
import { z } from "zod";
import { durationField, sizeField } from "../util/schema-fields.js";

export const duration = (what?: string) => durationField(what === undefined ? {} : { what });
export const size = sizeField;

/** "host:port" with an explicit port. */
export const listenAddress = () =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, { message: "expected HOST:PORT, e.g. 127.0.0.1:8080" });
