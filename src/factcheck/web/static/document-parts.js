// What a document's extraction came to, in words, and how each of its sentences fared:
// no DOM here (document.test.mjs runs it under node); view-document.js puts it on screen.

const LANGUAGES = new Intl.DisplayNames(["en"], { type: "language" });

/** "German" for "de"; the code itself when the browser has no name for it. */
export function languageName(code) {
  if (!code) return "";
  try {
    return LANGUAGES.of(code) || code;
  } catch {
    return String(code); // not a well-formed language code
  }
}

export const DOCUMENT_STATUS_LABELS = Object.freeze({
  received: "Waiting for extraction",
  extracting: "Extracting",
  extracted: "Extracted",
  failed: "Extraction failed",
  no_text: "No article text",
  unsupported_language: "Language not supported",
});

/** The status badge's label and the sentence under it. */
export function documentStatus(doc) {
  const label = DOCUMENT_STATUS_LABELS[doc.status] || String(doc.status);
  const language = languageName(doc.language);
  if (doc.status === "unsupported_language") {
    const written = language ? `Written in ${language} (${doc.language})` : "Written in a language we could not name";
    return { label, detail: `${written}: the claim finder reads English only, so no claims were extracted.` };
  }
  if (doc.status === "no_text") {
    return { label, detail: "No readable article text was found, so there are no claims." };
  }
  if (doc.status === "failed") return { label, detail: doc.error || "" };
  const count = doc.claim_count === null || doc.claim_count === undefined ? null : doc.claim_count;
  const parts = [];
  if (count !== null) parts.push(`${count} ${count === 1 ? "claim" : "claims"}`);
  if (language) parts.push(language);
  if (doc.error) parts.push(doc.error);
  return { label, detail: parts.join(" · ") };
}

/** "by Bob Yirka · Phys.org": who wrote it and where, as the page said (or the submitter). */
export function byline(doc) {
  const parts = [];
  if (doc.author) parts.push(`by ${doc.author}`);
  if (doc.site_name) parts.push(doc.site_name);
  return parts.join(" · ");
}

/** How one sentence fared: a claim, kept out by a rule (and which), or below the line. */
export function sentenceFate(sentence) {
  if (sentence.selected) return "claim";
  if (sentence.gate) return `left out: ${sentence.gate}`;
  return "below the line";
}
