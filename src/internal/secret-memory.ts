/**
 * Learnt secrets kept as fingerprints, not as text: what a secret costs in memory and in each
 * scrub does not grow with its length (a server may send a 1 MiB "W&B key"), and learning one
 * more does not rebuild anything, so the bound on how many are kept can be high.
 *
 * A secret is found in text by the hash of its last ANCHOR_LENGTH characters, rolled over the
 * text in one pass, then confirmed by the hash of its whole length ending there. ASCII letters
 * are compared without case (header names arrive lower-cased; percent-escapes vary in case).
 */

/** The shortest text remembered: shorter learnt "secrets" would blank out ordinary words. */
export const ANCHOR_LENGTH = 8;

/**
 * How many secrets one memory keeps, least recently seen dropped first: each costs about 140
 * bytes whatever its length, so this bounds a long-lived client's memory at a few MB.
 */
export const MAX_REMEMBERED = 16_384;

/** One written form of a secret (as is, JSON-escaped, URL-encoded...): its length and hash. */
interface Form {
  readonly length: number;
  readonly hash: number;
  /** The rolling hash of its last ANCHOR_LENGTH characters: its key in `anchors`. */
  readonly anchor: number;
}

/** Where secrets were found in a text: [start, end) pairs, flat, in any order, may overlap. */
export type Spans = number[];

const ROLL = 31;
/** ROLL to the ANCHOR_LENGTH-th power, mod 2^32: what the character leaving the window weighs. */
const ROLL_OUT = Array.from({ length: ANCHOR_LENGTH }).reduce<number>(
  (power) => Math.imul(power, ROLL),
  1,
);

/** One or more forms: a secret mostly has one (a token reads the same in every encoding). */
type Forms = Form | Form[];

export class SecretMemory {
  /**
   * @param limit How many secrets to keep: MAX_REMEMBERED for a client's, which lives long; no
   * limit for the secrets of one value, which are only as many as that value holds.
   */
  constructor(limit = MAX_REMEMBERED) {
    this.limit = limit;
  }

  private readonly limit: number;

  /** Each secret's forms by the hash of the secret itself, least recently seen first. */
  private readonly secrets = new Map<number, Forms>();
  /** Forms by the rolling hash of their last ANCHOR_LENGTH characters. */
  private readonly anchors = new Map<number, Forms>();

  /**
   * Remembers `secret`, written in each of `formsOf(secret)`. A secret seen again moves to the
   * end of the eviction order without computing its forms again.
   */
  remember(secret: string, formsOf: (secret: string) => Iterable<string>): void {
    const id = hashOf(secret, 0, secret.length);
    const known = this.secrets.get(id);
    if (known !== undefined) {
      this.secrets.delete(id);
      this.secrets.set(id, known);
      return;
    }
    const forms: Form[] = [];
    for (const text of new Set(formsOf(secret))) {
      if (text.length < ANCHOR_LENGTH) continue;
      const hash = text === secret ? id : hashOf(text, 0, text.length);
      const form: Form = { length: text.length, hash, anchor: anchorOf(text) };
      forms.push(form);
      this.anchors.set(form.anchor, joined(this.anchors.get(form.anchor), form));
    }
    this.secrets.set(id, forms.length === 1 && forms[0] !== undefined ? forms[0] : forms);
    if (this.secrets.size > this.limit) this.forgetOldest();
  }

  /** Adds to `spans` every place in `text` where a remembered secret is written. */
  find(text: string, spans: Spans): void {
    if (this.anchors.size === 0 || text.length < ANCHOR_LENGTH) return;
    let rolled = 0;
    for (let end = 1; end <= text.length; end++) {
      rolled = Math.imul(rolled, ROLL) + folded(text, end - 1);
      if (end > ANCHOR_LENGTH) rolled -= Math.imul(folded(text, end - 1 - ANCHOR_LENGTH), ROLL_OUT);
      rolled |= 0;
      if (end < ANCHOR_LENGTH) continue;
      const forms = this.anchors.get(rolled & SMALL);
      if (forms === undefined) continue;
      for (const form of Array.isArray(forms) ? forms : [forms]) {
        const start = end - form.length;
        if (start >= 0 && hashOf(text, start, end) === form.hash) spans.push(start, end);
      }
    }
  }

  private forgetOldest(): void {
    const [id, forms] = this.secrets.entries().next().value ?? [0, []];
    this.secrets.delete(id);
    for (const form of Array.isArray(forms) ? forms : [forms]) {
      const rest = without(this.anchors.get(form.anchor), form);
      if (rest === undefined) this.anchors.delete(form.anchor);
      else this.anchors.set(form.anchor, rest);
    }
  }
}

/**
 * Anchors are kept to 30 bits: a V8 small integer, stored in the map without a heap number of
 * its own (each remembered secret costs about 140 bytes, most of them such bookkeeping).
 */
const SMALL = 0x3fffffff;

function joined(forms: Forms | undefined, form: Form): Forms {
  if (forms === undefined) return form;
  return Array.isArray(forms) ? [...forms, form] : [forms, form];
}

function without(forms: Forms | undefined, form: Form): Forms | undefined {
  if (forms === undefined || forms === form) return undefined;
  if (!Array.isArray(forms)) return forms;
  const rest = forms.filter((other) => other !== form);
  return rest.length === 1 ? rest[0] : rest;
}

/** The character code at `index`, ASCII upper-case letters folded to lower-case. */
function folded(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function anchorOf(text: string): number {
  let rolled = 0;
  for (let index = text.length - ANCHOR_LENGTH; index < text.length; index++) {
    rolled = (Math.imul(rolled, ROLL) + folded(text, index)) | 0;
  }
  return rolled & SMALL;
}

/** A 53-bit hash (cyrb53) of text[start, end), case-folded as `folded`. */
function hashOf(text: string, start: number, end: number): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = start; index < end; index++) {
    const code = folded(text, index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
