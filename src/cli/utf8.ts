/**
 * Where a byte sequence stops being UTF-8. A file that is not (Latin-1, UTF-16, a binary) would
 * otherwise be decoded with U+FFFD in place of each bad byte and sent as if the user wrote that.
 */

/** A lead byte's range, how many continuation bytes follow it, and the range of the first. */
type Lead = readonly [from: number, to: number, follow: number, low: number, high: number];

/**
 * The well-formed sequences of Unicode's Table 3-7: no overlong forms, no surrogates
 * (U+D800-U+DFFF), nothing past U+10FFFF.
 */
const LEADS: readonly Lead[] = [
  [0xc2, 0xdf, 1, 0x80, 0xbf],
  [0xe0, 0xe0, 2, 0xa0, 0xbf],
  [0xe1, 0xec, 2, 0x80, 0xbf],
  [0xed, 0xed, 2, 0x80, 0x9f],
  [0xee, 0xef, 2, 0x80, 0xbf],
  [0xf0, 0xf0, 3, 0x90, 0xbf],
  [0xf1, 0xf3, 3, 0x80, 0xbf],
  [0xf4, 0xf4, 3, 0x80, 0x8f],
];

/** The length of the well-formed sequence at `at`, or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at] ?? 0;
  if (first < 0x80) return 1;
  const lead = LEADS.find(([from, to]) => first >= from && first <= to);
  if (lead === undefined) return 0;
  const [, , follow, low, high] = lead;
  for (let i = 1; i <= follow; i++) {
    const byte = bytes[at + i];
    const [min, max] = i === 1 ? [low, high] : [0x80, 0xbf];
    if (byte === undefined || byte < min || byte > max) return 0;
  }
  return follow + 1;
}

/** The offset of the first byte that starts no well-formed UTF-8 sequence, or undefined. */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  for (let at = 0; at < bytes.length; ) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return undefined;
}
