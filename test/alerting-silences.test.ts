import { describe, expect, it } from "vitest";
import { parseMatcher } from "../src/alerting/matchers.js";
import type { Silence } from "../src/alerting/silences.js";
import { Silences, endedWhileResolved, silenceEndNotices, silenceSchema } from "../src/alerting/silences.js";
import type { Alert } from "../src/model/index.js";

const H = 3_600_000;
const T0 = Date.parse("2026-03-06T09:00:00Z");

const silence = (id: string, startsAt: number, endsAt: number, matcher = 'brand="kryptonite"'): Silence => ({
  id,
  matchers: [parseMatcher(matcher)],
  startsAt,
  endsAt,
  createdBy: "ana",
  comment: "planned recall announcement",
});

function alert(fp: string, brand: string, firedAt: number, resolvedAt?: number): Alert {
  const measure = { time: firedAt, value: 1, expected: 1, factor: 1, score: 1 };
  return {
    id: `${fp}-1`,
    fingerprint: fp,
    rule: "g/Spike",
    name: "Spike",
    labels: { brand },
    state: resolvedAt === undefined ? "firing" : "resolved",
    severity: "warning",
    activeAt: firedAt,
    firedAt,
    ...(resolvedAt !== undefined && { resolvedAt }),
    last: measure,
    peak: measure,
    annotations: {},
    flapping: false,
    history: [],
  };
}

describe("silences", () => {
  it("goes pending → active → expired, inclusive start and exclusive end", () => {
    const set = new Silences([silence("s1", T0, T0 + 2 * H)]);
    expect(set.list(T0 - 1)[0]?.state).toBe("pending");
    expect(set.active(T0).map((s) => s.id)).toEqual(["s1"]);
    expect(set.active(T0 + 2 * H)).toEqual([]);
    expect(set.list(T0 + 2 * H)[0]?.state).toBe("expired");
  });

  it("silences only matching labels while active, the longest first", () => {
    const set = new Silences([
      silence("s1", T0, T0 + H),
      silence("s2", T0, T0 + 3 * H, 'severity=~"warning|info"'),
    ]);
    const labels = { brand: "kryptonite", severity: "warning" };
    expect(set.silencedBy(labels, T0 + 1).map((s) => s.id)).toEqual(["s2", "s1"]);
    expect(set.silencedBy({ brand: "acme", severity: "critical" }, T0 + 1)).toEqual([]);
    expect(set.silencedBy(labels, T0 - 1)).toEqual([]);
  });

  it("expires an active silence now and a pending one before it starts", () => {
    const set = new Silences([silence("s1", T0, T0 + H), silence("s2", T0 + 5 * H, T0 + 6 * H)]);
    expect(set.expire("s1", T0 + 10)).toBe(true);
    expect(set.get("s1")?.endsAt).toBe(T0 + 10);
    expect(set.active(T0 + 10)).toEqual([]);
    expect(set.expire("s1", T0 + 20)).toBe(false);
    expect(set.expire("s2", T0 + 20)).toBe(true);
    expect(set.list(T0 + 5 * H).find((s) => s.id === "s2")?.state).toBe("expired");
    expect(set.expire("nope", T0)).toBe(false);
  });

  it("refuses an empty or backwards silence", () => {
    const set = new Silences();
    expect(() => set.add(silence("s", T0, T0))).toThrow(/after startsAt/);
    expect(() => set.add({ ...silence("s", T0, T0 + H), matchers: [] })).toThrow(/matcher/);
    expect(
      silenceSchema.safeParse({
        ...new Silences([silence("s", T0, T0 + H)]).toJSON()[0],
        endsAt: "2026-03-06T08:00:00Z",
      }).success,
    ).toBe(false);
  });

  it("round-trips through JSON", () => {
    const set = new Silences([silence("s1", T0, T0 + H, 'channel=~"tw.*"')]);
    const json = JSON.parse(JSON.stringify(set)) as unknown;
    expect(json).toEqual([
      {
        id: "s1",
        matchers: [{ name: "channel", op: "=~", value: "tw.*" }],
        startsAt: "2026-03-06T09:00:00.000Z",
        endsAt: "2026-03-06T10:00:00.000Z",
        createdBy: "ana",
        comment: "planned recall announcement",
      },
    ]);
    const back = Silences.fromJSON(json);
    expect(back.silencedBy({ channel: "twitter" }, T0)).toHaveLength(1);
    expect(() => Silences.fromJSON([{ id: "x" }])).toThrow();
  });

  it("lists the silences that ended since the last check and forgets old ones", () => {
    const set = new Silences([silence("s1", T0, T0 + H), silence("s2", T0, T0 + 2 * H)]);
    expect(set.endedBetween(T0, T0 + H).map((s) => s.id)).toEqual(["s1"]);
    expect(set.endedBetween(T0 + H, T0 + 2 * H).map((s) => s.id)).toEqual(["s2"]);
    set.forget(T0 + 1.5 * H);
    expect(set.list(T0).map((s) => s.id)).toEqual(["s2"]);
  });
});

describe("silence end notices", () => {
  const s = silence("s1", T0, T0 + 4 * H);

  it("tells alerts the silence held that resolved meanwhile", () => {
    const alerts = [
      alert("a", "kryptonite", T0 + H, T0 + 2 * H), // fired and resolved under the silence
      alert("b", "kryptonite", T0 - H, T0 + 3 * H), // paged before, its resolution was held
      alert("c", "kryptonite", T0 + H), // still firing: the normal path pages it
      alert("d", "acme", T0 + H, T0 + 2 * H), // not covered
      alert("e", "kryptonite", T0 - 3 * H, T0 - H), // over before the silence
      alert("f", "kryptonite", T0 + H, T0 + 5 * H), // resolved after the end: its page goes out
    ];
    const notices = endedWhileResolved(s, alerts);
    expect(notices.map((n) => n.fingerprint)).toEqual(["a", "b"]);
    expect(notices[0]?.text).toBe(
      'silence s1 (brand="kryptonite") ended; alert Spike a-1 resolved meanwhile at 2026-03-06T11:00:00.000Z',
    );
  });

  it("gathers the notices of every silence that ended since the last check", () => {
    const set = new Silences([s, silence("s2", T0, T0 + 8 * H)]);
    const alerts = [alert("a", "kryptonite", T0 + H, T0 + 2 * H)];
    expect(silenceEndNotices(set, alerts, T0, T0 + 3 * H)).toEqual([]);
    expect(silenceEndNotices(set, alerts, T0 + 3 * H, T0 + 4 * H).map((n) => n.silenceId)).toEqual(["s1"]);
    expect(silenceEndNotices(set, alerts, T0 + 4 * H, T0 + 9 * H).map((n) => n.silenceId)).toEqual(["s2"]);
  });
});
