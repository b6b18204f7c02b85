import { parseJsonObject } from "../internal/json.js";
import { type Checked, invalid } from "./validation.js";

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** What one list call asks for. */
export interface PageRequest {
  pageSize: number | undefined;
  pageToken: string | undefined;
  /**
   * The other parameters of the call, as one string: a token is only good for the call that
   * returned it (AIP-158), so a token reused with other parameters is refused.
   */
  parameters: string;
}

export interface Page<T> {
  items: T[];
  /** Empty on the last page, as the service sends it (not absent). */
  nextPageToken: string;
  totalSize: number;
}

interface Token {
  offset: number;
  parameters: string;
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeToken(text: string): Token | undefined {
  const token = parseJsonObject(Buffer.from(text, "base64url").toString("utf8"));
  const { offset, parameters } = token ?? {};
  return Number.isInteger(offset) &&
    typeof offset === "number" &&
    offset >= 0 &&
    typeof parameters === "string"
    ? { offset, parameters }
    : undefined;
}

/**
 * One page of `items`: `pageSize` of them (default 50, larger than 200 coerced to 200, as the
 * spec says) from where the token points.
 */
export function pageOf<T>(items: readonly T[], request: PageRequest): Checked<Page<T>> {
  const { pageSize = 0, pageToken = "" } = request;
  if (!Number.isInteger(pageSize) || pageSize < 0) {
    return invalid(`page_size must be a non-negative integer, got ${pageSize}`);
  }
  const size = Math.min(pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize, MAX_PAGE_SIZE);
  let offset = 0;
  if (pageToken !== "") {
    const token = decodeToken(pageToken);
    if (token === undefined) return invalid("invalid page token");
    if (token.parameters !== request.parameters) {
      return invalid(
        "page token does not match the request: the other parameters must be those of the call that returned it",
      );
    }
    offset = token.offset;
  }
  const end = offset + size;
  return {
    ok: true,
    value: {
      items: items.slice(offset, end),
      nextPageToken:
        end < items.length ? encodeToken({ offset: end, parameters: request.parameters }) : "",
      totalSize: items.length,
    },
  };
}
