import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NOTIFIERS, notifierByType } from "../src/notify/registry.js";

describe("notifier registry", () => {
  it("offers slack, email, pagerduty and webhook, each with a strict schema that converts to JSON Schema", () => {
    expect(NOTIFIERS.map((n) => n.type)).toEqual(["slack", "email", "pagerduty", "webhook"]);
    for (const definition of NOTIFIERS) {
      expect(() => z.toJSONSchema(definition.schema, { io: "input", unrepresentable: "any" })).not.toThrow();
      expect(definition.schema.safeParse({ surely_unknown_key: 1 }).success).toBe(false);
    }
    expect(notifierByType("pagerduty")?.type).toBe("pagerduty");
    expect(notifierByType("fax")).toBeUndefined();
  });
});
