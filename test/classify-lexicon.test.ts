import { describe, expect, it } from "vitest";
import { normaliseValence, scoreText } from "../src/classify/lexicon.js";

describe("lexicon scoring", () => {
  it.each([
    "This lock is a disaster, opened with a pen, I want a refund",
    "Worst customer service ever, totally useless and rude",
    "Flight delayed 6 hours and nobody tells us anything. Terrible.",
    "Scam. They charged my card twice and won't answer emails.",
    "Still waiting for my refund after 3 weeks, this is a joke",
    "The app keeps crashing every time I try to pay #fail",
  ])("reads the English complaint %j as negative", (text) => {
    const { label, score } = scoreText(text, "en");
    expect(label).toBe("negative");
    expect(score).toBeLessThan(-0.05);
  });

  it.each([
    "Service client nul, je suis furieux, c'est une honte",
    "Arnaque totale, remboursez-moi",
    "Produit cassé au bout de deux jours, très déçu",
    "Encore une panne de réseau, ras le bol de cet opérateur",
    "Toujours pas remboursé après trois semaines, c'est inadmissible",
    "Qualité lamentable #honte",
  ])("reads the French complaint %j as negative", (text) => {
    expect(scoreText(text, "fr").label).toBe("negative");
  });

  it.each([
    "Love this lock, great quality and super fast delivery!",
    "Huge thanks to the support team, they fixed my issue in 5 minutes",
    "Excellent product, works perfectly, highly recommend",
  ])("reads the English praise %j as positive", (text) => {
    expect(scoreText(text, "en").label).toBe("positive");
  });

  it.each([
    "J'adore ce cadenas, super qualité, livraison rapide !",
    "Produit génial, je recommande",
    "Merci au service client pour leur réponse rapide et efficace",
  ])("reads the French praise %j as positive", (text) => {
    expect(scoreText(text, "fr").label).toBe("positive");
  });

  it.each([
    ["en", "The store opens at 9am on Monday in Paris."],
    ["en", "The new model is available in blue and red."],
    ["en", "What time does the customer service line close on Sundays?"],
    ["fr", "Le magasin ouvre à 9h lundi à Paris."],
    ["fr", "Le nouveau modèle est disponible en bleu et en rouge."],
    ["fr", "À quelle heure ferme le service client le dimanche ?"],
  ] as const)("reads the factual %s sentence %j as neutral", (lang, text) => {
    expect(scoreText(text, lang)).toEqual({ label: "neutral", score: 0 });
  });

  it("flips a sentiment word after a negation, in both languages and with either apostrophe", () => {
    const good = scoreText("This is good", "en").score;
    expect(good).toBeGreaterThan(0.05);
    expect(scoreText("This is not good", "en").score).toBeCloseTo(-good);
    expect(scoreText("This isn't good", "en").score).toBeCloseTo(-good);
    expect(scoreText("This isn’t good", "en").score).toBeCloseTo(-good);
    expect(scoreText("I don’t recommend it", "en").label).toBe("negative");
    const bon = scoreText("C'est bon", "fr").score;
    expect(bon).toBeGreaterThan(0.05);
    expect(scoreText("C'est pas bon", "fr").score).toBeCloseTo(-bon);
    expect(scoreText("Ce n’est pas bon", "fr").score).toBeCloseTo(-bon);
    expect(scoreText("Je ne recommande pas", "fr").label).toBe("negative");
  });

  it("turns a negated complaint word positive", () => {
    expect(scoreText("Not bad at all", "en").label).toBe("positive");
    expect(scoreText("Pas mal du tout", "fr").label).toBe("positive");
  });

  it("ends a negation at the end of its clause", () => {
    // The library alone would also flip "great", "friendly" and "génial", making both texts negative.
    expect(scoreText("Not bad at all, the staff was great and friendly", "en").label).toBe("positive");
    expect(scoreText("Pas de problème, le service est génial", "fr").label).toBe("positive");
    expect(scoreText("Not cheap but really great", "en").label).toBe("positive");
  });

  it("scores hashtags as words and ignores links and handles", () => {
    expect(scoreText("#disaster", "en").label).toBe("negative");
    expect(scoreText("@happy_customer https://t.co/great", "en")).toEqual({ label: "neutral", score: 0 });
  });

  it("stays in [-1, 1] however many sentiment words a text has", () => {
    const { score } = scoreText("terrible ".repeat(200), "en");
    expect(score).toBeLessThan(-0.99);
    expect(score).toBeGreaterThanOrEqual(-1);
  });

  it("gives a number for words that name Object.prototype members", () => {
    // The library's lexicons are plain objects: "constructor" used to add a function to the score (NaN).
    for (const lang of ["en", "fr"] as const) {
      expect(scoreText("constructor toString valueOf __proto__ hasOwnProperty", lang)).toEqual({
        label: "neutral",
        score: 0,
      });
    }
  });

  it("labels with the thresholds it is given", () => {
    const mild = scoreText("ok, nice", "en");
    expect(mild.label).toBe("positive");
    expect(scoreText("ok, nice", "en", { positiveAbove: 0.9 })).toEqual({
      label: "neutral",
      score: mild.score,
    });
  });

  it("answers synchronously", () => {
    expect(scoreText("good", "en")).not.toBeInstanceOf(Promise);
  });
});

describe("valence normalisation", () => {
  it("follows VADER's x / sqrt(x² + alpha) on the [-1, 1] word scale", () => {
    expect(normaliseValence(0)).toBe(0);
    expect(normaliseValence(1)).toBeCloseTo(1 / Math.sqrt(1 + 15 / 16), 12);
    expect(normaliseValence(-1)).toBeCloseTo(-normaliseValence(1), 12);
  });

  it("is increasing and bounded, and keeps one mild word about its own value", () => {
    const xs = [-50, -2, -1, -0.2, 0, 0.2, 1, 2, 50];
    const ys = xs.map(normaliseValence);
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThan(ys[i - 1] as number);
    expect(Math.max(...ys.map(Math.abs))).toBeLessThan(1);
    expect(normaliseValence(0.2)).toBeCloseTo(0.2, 1);
  });
});
