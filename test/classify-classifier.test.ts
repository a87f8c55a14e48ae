import { describe, expect, it } from "vitest";
import { createClassifier } from "../src/classify/index.js";
import { mention } from "./helpers/mentions.js";

describe("classifier", () => {
  const classify = createClassifier();

  it("uses a provider's number, labelled by the thresholds, with the provider's language", () => {
    expect(classify(mention({ sentiment: -0.4, lang: "fr-FR", text: "Super produit !" }))).toEqual({
      label: "negative",
      score: -0.4,
      source: "provider",
      lang: "fr",
    });
    expect(classify(mention({ sentiment: 0.02, lang: "en_US" }))).toMatchObject({
      label: "neutral",
      lang: "en",
    });
  });

  it("uses a provider's label as given", () => {
    expect(classify(mention({ sentiment: "positive", lang: "en", text: "terrible" }))).toEqual({
      label: "positive",
      score: 1,
      source: "provider",
      lang: "en",
    });
  });

  it("does not spend a language guess on a provider-scored mention that has no tag", () => {
    const verdict = classify(mention({ sentiment: "negative", text: "Service client nul, c'est une honte" }));
    expect(verdict).toMatchObject({ source: "provider", lang: "und" });
  });

  it("keeps a provider's language tag it cannot score", () => {
    expect(classify(mention({ sentiment: 0.5, lang: "de-DE", text: "Sehr gut" })).lang).toBe("de-DE");
  });

  it("scores the text itself when the provider gave no sentiment", () => {
    expect(
      classify(mention({ text: "This lock is a disaster, opened with a pen, I want a refund" })),
    ).toMatchObject({
      label: "negative",
      source: "lexicon",
      lang: "en",
    });
    expect(classify(mention({ text: "Service client nul, je suis furieux, c'est une honte" }))).toMatchObject(
      {
        label: "negative",
        source: "lexicon",
        lang: "fr",
      },
    );
    const happy = classify(mention({ text: "J'adore ce cadenas, livraison rapide !", lang: "fr" }));
    expect(happy.label).toBe("positive");
    expect(happy.score).toBeGreaterThan(0.05);
    expect(happy.score).toBeLessThanOrEqual(1);
  });

  it("scores with the lexicon of the provider's language tag, not the guessed one", () => {
    // "nul" is only in the French lexicon: read as English, the text has no sentiment word at all.
    expect(classify(mention({ text: "nul nul nul", lang: "fr-CA" }))).toMatchObject({
      label: "negative",
      lang: "fr",
    });
    expect(classify(mention({ text: "nul nul nul", lang: "en" }))).toMatchObject({
      label: "neutral",
      lang: "en",
    });
  });

  it("leaves a language it has no lexicon for neutral, and says which language it was", () => {
    expect(classify(mention({ text: "Das ist eine Katastrophe", lang: "de" }))).toEqual({
      label: "neutral",
      score: 0,
      source: "lexicon",
      lang: "de",
    });
  });

  it("applies its thresholds to both paths", () => {
    const strict = createClassifier({ negativeBelow: -0.9, positiveAbove: 0.9 });
    expect(strict(mention({ sentiment: -0.5 })).label).toBe("neutral");
    expect(strict(mention({ text: "This is not good", lang: "en" })).label).toBe("neutral");
    expect(classify(mention({ text: "This is not good", lang: "en" })).label).toBe("negative");
  });

  it("refuses thresholds that overlap when it is built, not per mention", () => {
    expect(() => createClassifier({ negativeBelow: 0.5, positiveAbove: -0.5 })).toThrow(RangeError);
  });

  it("answers synchronously", () => {
    expect(classify(mention({ text: "great" }))).not.toBeInstanceOf(Promise);
  });
});
