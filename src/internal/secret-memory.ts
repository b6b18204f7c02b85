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
 * How many secrets one memory keeps, least recently seen dropped first: each costs about 200
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

export class SecretMemory {
  /**
   * @param limit How many secrets to keep: MAX_REMEMBERED for a client's, which lives long; no
   * limit for the secrets of one value, which are only as many as that value holds.
   */
  constructor(limit = MAX_REMEMBERED) {
    this.limit = limit;
  }

  private readonly limit: number;

  /** Each secret's forms by the fingerprint of the secret itself, least recently seen first. */
  private readonly secrets = new Map<string, readonly Form[]>();
  /** Forms by the rolling hash of their last ANCHOR_LENGTH characters. */
  private readonly anchors = new Map<number, Form[]>();

  get size(): number {
    return this.secrets.size;
  }

  /**
   * Remembers `secret`, written in each of `formsOf(secret)`; true when it was new. A secret seen
   * again moves to the end of the eviction order without computing its forms again.
   */
  remember(secret: string, formsOf: (secret: string) => Iterable<string>): boolean {
    const id = `${secret.length}:${hashOf(secret, 0, secret.length)}`;
    const known = this.secrets.get(id);
    if (known !== undefined) {
      this.secrets.delete(id);
      this.secrets.set(id, known);
      return false;
    }
    const forms: Form[] = [];
    const seen = new Set<number>();
    for (const text of formsOf(secret)) {
      const hash = hashOf(text, 0, text.length);
      if (text.length < ANCHOR_LENGTH || seen.has(hash)) continue;
      seen.add(hash);
      const form = { length: text.length, hash, anchor: anchorOf(text) };
      forms.push(form);
      const list = this.anchors.get(form.anchor);
      if (list === undefined) this.anchors.set(form.anchor, [form]);
      else list.push(form);
    }
    this.secrets.set(id, forms);
    if (this.secrets.size > this.limit) this.forgetOldest();
    return true;
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
      const forms = this.anchors.get(rolled);
      if (forms === undefined) continue;
      for (const form of forms) {
        const start = end - form.length;
        if (start >= 0 && hashOf(text, start, end) === form.hash) spans.push(start, end);
      }
    }
  }

  private forgetOldest(): void {
    const [id, forms] = this.secrets.entries().next().value ?? ["", []];
    this.secrets.delete(id);
    for (const form of forms) {
      const list = this.anchors.get(form.anchor) ?? [];
      list.splice(list.indexOf(form), 1);
      if (list.length === 0) this.anchors.delete(form.anchor);
    }
  }
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
  return rolled;
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
