import { describe, expect, it } from "vitest";
import { guessLanguage, mentionLanguage, normaliseLang } from "../src/classify/language.js";

describe("provider language tags", () => {
  it("reduces French and English tags to ISO 639-1, whatever their region or case", () => {
    expect(["fr", "fr-FR", "fr_CA", "FR", "fra", "fre"].map(normaliseLang)).toEqual([
      "fr",
      "fr",
      "fr",
      "fr",
      "fr",
      "fr",
    ]);
    expect(["en", "en-US", "en_GB", "EN", "eng", " en "].map(normaliseLang)).toEqual([
      "en",
      "en",
      "en",
      "en",
      "en",
      "en",
    ]);
  });

  it("passes other languages through unchanged", () => {
    expect(normaliseLang("de")).toBe("de");
    expect(normaliseLang("pt-BR")).toBe("pt-BR");
  });

  it("treats a missing, empty or undetermined tag as unknown", () => {
    expect(normaliseLang(undefined)).toBeUndefined();
    expect(normaliseLang("")).toBeUndefined();
    expect(normaliseLang("und")).toBeUndefined();
  });
});

describe("language guess", () => {
  const french = [
    "Service client nul, je suis furieux, c'est une honte",
    "Produit génial, je recommande",
    "c'est nul",
    "pas bon",
    "trop bien",
    "merci @kryptonite_fr",
    "Colis jamais arrivé 😡",
    "Ce n’est pas bon du tout",
    "@sncf encore en retard, on en a marre",
    "Livraison gratuite demain matin partout",
  ];
  const english = [
    "This lock is a disaster, opened with a pen, I want a refund",
    "so bad",
    "thanks @kryptonite",
    "love it!",
    "wtf is this",
    "Worst customer service ever",
    "great job",
    "cant believe this happened again",
    "Free delivery tomorrow morning everywhere",
  ];

  it.each(french)("reads %j as French", (text) => {
    expect(guessLanguage(text)).toBe("fr");
  });

  it.each(english)("reads %j as English", (text) => {
    expect(guessLanguage(text)).toBe("en");
  });

  it("defaults to English when there is nothing to go on", () => {
    expect(["", "👍👍", "123 456", "https://t.co/x1y2z3", "@brand"].map(guessLanguage)).toEqual([
      "en",
      "en",
      "en",
      "en",
      "en",
    ]);
  });
});

describe("mention language", () => {
  it("trusts the provider's tag over the text", () => {
    expect(mentionLanguage({ text: "This is clearly English", lang: "fr-FR" })).toBe("fr");
    expect(mentionLanguage({ text: "Das ist schlecht", lang: "de" })).toBe("de");
  });

  it("guesses when the tag is missing or undetermined", () => {
    expect(mentionLanguage({ text: "je suis déçu" })).toBe("fr");
    expect(mentionLanguage({ text: "I am disappointed", lang: "und" })).toBe("en");
  });
});
