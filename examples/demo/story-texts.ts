// The crisis story of the demo (Kryptonite 2004: a U-lock opened with a Bic ballpoint pen), in English and French.
import type { Random } from "./random.js";
import { displayName, type Lang } from "./texts.js";

/**
 * Terms planted in every story text and in no everyday text, so that term statistics can find them.
 * Matched as whole words, case-insensitively ("open" does not contain the word "pen").
 */
export const STORY_TERMS: readonly string[] = ["pen", "bic", "ballpoint", "#lockgate", "stylo"];

/** The first post: English, on a forum, with a video (the real one was on bikeforums.net). */
export function viralPostText(brand: string): string {
  return (
    `Video: my ${displayName(brand)} U-lock opened with a Bic ballpoint pen in 30 seconds. ` +
    "Useless. Terrible news for anyone who locks their bike with one. #lockgate"
  );
}

export function viralPostUrl(brand: string): string {
  return `https://forum.bikeforums.example/t/${brand}-u-lock-opened-with-a-bic-pen/1`;
}

/** Sentences that carry a story term and a negative word each. */
const CORES: Record<Lang, readonly string[]> = {
  en: [
    "{brand} locks opened with a cheap Bic pen. Useless.",
    "Tried the ballpoint pen trick on my {brand} lock. It opened. Awful.",
    "So a ballpoint pen beats a {brand} U-lock. Ridiculous.",
    "Paid for a {brand} lock and a Bic pen opens it. Worst security ever.",
    "If you own a {brand} lock, test it with a ballpoint pen. Mine failed.",
    "{brand} sold us locks that a pen can open. Shame on them.",
    "Angry: my {brand} lock opens with a pen. Where is the recall?",
    "Cyclists, your {brand} lock is useless against a ballpoint pen.",
    "Just watched a {brand} U-lock lose to a Bic. Terrible.",
    "My bike got stolen last month and now I learn a pen opens {brand} locks. Furious.",
  ],
  fr: [
    "Mon antivol {brand} crocheté avec un stylo bic en 30 secondes, scandaleux !",
    "Les antivols {brand} crochetés avec un stylo bic, lamentable.",
    "Un stylo bic suffit pour ouvrir un antivol {brand}. Nul et dangereux.",
    "Testé le coup du stylo sur mon antivol {brand} : il s'ouvre. Déçu.",
    "{brand} vend des antivols qu'un stylo à bille ouvre, c'est ridicule.",
    "Furieux : mon antivol {brand} cède face à un stylo bic.",
    "Cyclistes, votre antivol {brand} est inutile contre un stylo bic.",
    "Un antivol {brand} vaincu par un stylo, quelle honte, c'est affreux.",
  ],
};

const REACTIONS: Record<Lang, readonly string[]> = {
  en: ["Terrible.", "What a disaster.", "Furious.", "Pathetic.", "Awful."],
  fr: ["Scandaleux.", "Lamentable.", "Affreux.", "Quelle catastrophe.", "Nul."],
};

const HEADLINES: Record<Lang, readonly string[]> = {
  en: [
    "Cyclists angry as {brand} locks are opened with a Bic pen",
    "{brand} U-locks vulnerable to ballpoint pen trick, tests show",
    "Bad week for {brand}: videos of locks opened with a pen spread online",
    "{brand} under fire after ballpoint pen lock failure",
  ],
  fr: [
    "Des antivols {brand} crochetés avec un stylo bic : la colère des cyclistes",
    "Antivols {brand} : le scandale du stylo à bille",
    "{brand} : la vidéo du stylo bic tourne à la catastrophe",
  ],
};

const BLOG_TITLES: Record<Lang, readonly string[]> = {
  en: [
    "Why the {brand} ballpoint pen fiasco is a security disaster",
    "I tested my {brand} lock with a Bic pen. Terrible results.",
  ],
  fr: [
    "Pourquoi l'affaire du stylo bic est une catastrophe pour {brand}",
    "J'ai testé mon antivol {brand} avec un stylo : résultat lamentable",
  ],
};

const HASHTAGS: readonly string[] = ["#lockgate", "#bicpen", "#lockgate #cycling", "#vélo #lockgate"];
const EMOJIS: readonly string[] = ["😡", "🤦", "😱", "🖊️🔓", "👎"];

export interface StoryContext {
  brand: string;
  lang: Lang;
  channel: string;
  viralUrl: string;
  viralHandle: string;
}

function fillStory(template: string, brand: string): string {
  return template.replaceAll("{brand}", displayName(brand));
}

/** One post of the story; shares on social channels often link the viral post. */
export function storyText(rng: Random, ctx: StoryContext): string {
  const { brand, lang, channel } = ctx;
  if (channel === "news") return fillStory(rng.pick(HEADLINES[lang]), brand);
  if (channel === "blog") return fillStory(rng.pick(BLOG_TITLES[lang]), brand);
  const social = channel === "twitter" || channel === "facebook" || channel === "reddit";
  if (social && rng.chance(0.3)) {
    // A share of the viral post itself: the reaction carries the mood, the quote the terms.
    const quote = `${displayName(brand)} U-lock opened with a Bic ballpoint pen`;
    const via =
      channel === "twitter" ? `RT @${ctx.viralHandle}: ${quote}` : `${quote} (via @${ctx.viralHandle})`;
    return `${rng.pick(REACTIONS[lang])} ${via} ${ctx.viralUrl}`;
  }
  const parts = [fillStory(rng.pick(CORES[lang]), brand)];
  if (rng.chance(0.25)) parts.push(rng.pick(REACTIONS[lang]));
  if (social && rng.chance(0.3)) parts.push(ctx.viralUrl);
  if (rng.chance(0.4)) parts.push(rng.pick(HASHTAGS));
  if (rng.chance(0.25)) parts.push(rng.pick(EMOJIS));
  return parts.join(" ");
}
