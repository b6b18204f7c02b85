/**
 * Properties of the scrubber over any secrets and any text around them: every written form of
 * every learnt secret (and of the API key) goes, in any ASCII letter case, wherever it sits and
 * however secrets overlap; text without one comes back unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createScrubber } from "../../src/core/redact.js";

/** Lower-cases ASCII letters only, as the scrubber compares. */
function folded(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** The ways a server writes a secret: as is, JSON-escaped, Go's HTML-safe JSON, URL-encoded. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const go = json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");
  const written = [secret, json, go];
  try {
    written.push(encodeURIComponent(secret));
  } catch {
    // A lone surrogate has no URL form.
  }
  return written;
}

/**
 * Secrets that cannot be read inside the marker that replaces them (so that "no form is left"
 * is a fair check): no bracket, and not a piece of "redacted".
 */
const unit = fc.oneof(
  fc.constantFrom("<", ">", "&", '"', "\\", "%", "é", "\u2028", "😀"),
  fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }),
);
const secret = fc
  .string({ unit, minLength: 8, maxLength: 40 })
  .filter((text) => !/[[\]]/.test(text) && !"[redacted]".includes(folded(text)));

const around = fc.string({ maxLength: 30 });

/** A text that writes each secret in one of its forms, in a random letter case, between noise. */
const scene = fc
  .tuple(fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }), fc.boolean())
  .chain(([secrets, pinFirst]) =>
    fc.record({
      secrets: fc.constant(secrets),
      pinFirst: fc.constant(pinFirst),
      pieces: fc.array(
        fc.record({
          before: around,
          which: fc.nat({ max: secrets.length - 1 }),
          form: fc.nat({ max: 3 }),
          upper: fc.boolean(),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      after: around,
    }),
  );

describe("the scrubber, for any secrets and text", () => {
  it("leaves no form of any secret it knows, in any letter case", () => {
    fc.assert(
      fc.property(scene, ({ secrets, pinFirst, pieces, after }) => {
        const [first = "", ...rest] = secrets;
        const scrubber = createScrubber(pinFirst ? [first] : []);
        scrubber.learn({ apiKeys: (pinFirst ? rest : secrets).map((apiKey) => ({ apiKey })) });
        let text = "";
        for (const { before, which, form, upper } of pieces) {
          const written = forms(secrets[which] ?? "");
          const chosen = written[form % written.length] ?? "";
          text += before + (upper ? chosen.replace(/[a-z]/g, (c) => c.toUpperCase()) : chosen);
        }
        const scrubbed = folded(scrubber.scrub(text + after));
        expect(scrubbed).toContain("[redacted]");
        for (const known of secrets) {
          for (const written of forms(known)) expect(scrubbed).not.toContain(folded(written));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives back a text that holds no secret as it is", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }),
        fc.string(),
        (secrets, text) => {
          fc.pre(
            secrets.every((known) => forms(known).every((w) => !folded(text).includes(folded(w)))),
          );
          const scrubber = createScrubber([]);
          scrubber.learn(secrets.map((apiKey) => ({ apiKey })));
          expect(scrubber.scrub(text)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
