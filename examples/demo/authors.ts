// Who talks in the demo scenario: a Zipf-ish pool of people, a few influencers, news outlets, brand accounts.
import { Random } from "./random.js";
import { displayName, type Lang } from "./texts.js";

export interface AuthorProfile {
  id: string;
  name: string;
  followers: number;
  lang: Lang;
}

const POOL_SIZE = 30_000;
/** Zipf exponent: the most active person writes ~1% of the mentions, most write once or twice. */
const ZIPF_S = 0.75;
const ENGLISH_SHARE = 0.55;

/** Heavy-tailed audiences come from a Pareto draw; these ranks are planted as influencers on top. */
const INFLUENCERS: ReadonlyMap<number, number> = new Map([
  [4, 1_250_000],
  [12, 310_000],
  [57, 145_000],
  [233, 2_400_000],
  [871, 180_000],
  [1500, 520_000],
]);

const FIRST: Record<Lang, readonly string[]> = {
  en: [
    "alex",
    "sam",
    "tom",
    "mike",
    "sarah",
    "ben",
    "dan",
    "emma",
    "josh",
    "kate",
    "ryan",
    "lucy",
    "nate",
    "zoe",
  ],
  fr: [
    "lucie",
    "jules",
    "nina",
    "max",
    "leo",
    "chloe",
    "ines",
    "manon",
    "theo",
    "lea",
    "hugo",
    "camille",
    "yanis",
  ],
};
const SECOND: Record<Lang, readonly string[]> = {
  en: ["rides", "bikes", "cycles", "nyc", "roadie", "commutes", "urban", "2wheels", "spins", "miles"],
  fr: ["velo", "roule", "pedale", "paris", "lyon", "velotaf", "cycliste", "nantes", "bzh", "rando"],
};

const OUTLETS: Record<Lang, readonly AuthorProfile[]> = {
  en: [
    { id: "outlet-cyclenews", name: "Cycle News Daily", followers: 820_000, lang: "en" },
    { id: "outlet-metrowire", name: "Metro Wire", followers: 2_100_000, lang: "en" },
    { id: "outlet-techchronicle", name: "Tech Chronicle", followers: 1_400_000, lang: "en" },
    { id: "outlet-urbanrider", name: "Urban Rider Magazine", followers: 230_000, lang: "en" },
  ],
  fr: [
    { id: "outlet-quotidienvelo", name: "Le Quotidien du Vélo", followers: 310_000, lang: "fr" },
    { id: "outlet-infosmetropole", name: "Infos Métropole", followers: 1_800_000, lang: "fr" },
    { id: "outlet-techfrance", name: "Tech France", followers: 650_000, lang: "fr" },
  ],
};

/**
 * People are computed from (seed, index) on demand rather than stored, so the pool costs no memory
 * and the same index is the same person in every brand's stream.
 */
export class AuthorPool {
  /** At most POOL_SIZE small objects: bounded whatever the scenario size. */
  private readonly cache: (AuthorProfile | undefined)[] = [];

  constructor(private readonly seed: number) {}

  /** An index with Zipf-like popularity, by inverting the continuous power-law CDF on [1, N+1). */
  pickIndex(rng: Random): number {
    const e = 1 - ZIPF_S;
    const x = (((POOL_SIZE + 1) ** e - 1) * rng.next() + 1) ** (1 / e);
    return Math.min(POOL_SIZE - 1, Math.floor(x) - 1);
  }

  /** A frequent poster or, with probability `fresh`, anyone: viral stories bring in new voices. */
  pick(rng: Random, fresh = 0): AuthorProfile {
    return this.get(rng.chance(fresh) ? rng.int(0, POOL_SIZE - 1) : this.pickIndex(rng));
  }

  get(index: number): AuthorProfile {
    const hit = this.cache[index];
    if (hit) return hit;
    const rng = new Random(this.seed, `author:${index}`);
    const lang: Lang = rng.chance(ENGLISH_SHARE) ? "en" : "fr";
    const sep = rng.pick(["_", ".", ""]);
    const digits = rng.chance(0.4) ? String(rng.int(1, 99)) : "";
    const name = `${rng.pick(FIRST[lang])}${sep}${rng.pick(SECOND[lang])}${digits}`;
    const followers = INFLUENCERS.get(index) ?? Math.min(3_000_000, Math.floor(rng.pareto(40, 1.16)));
    const author: AuthorProfile = { id: `u${index}`, name, followers, lang };
    this.cache[index] = author;
    return author;
  }

  outlet(rng: Random, lang: Lang): AuthorProfile {
    return rng.pick(OUTLETS[lang]);
  }
}

/** The brand's own account, which answers complaints. */
export function brandAccount(brand: string): AuthorProfile {
  return { id: `brand-${brand}`, name: displayName(brand), followers: 85_000, lang: "en" };
}
