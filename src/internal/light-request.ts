/** What `RequestInit.body` accepts (the DOM's `BodyInit`, which Node's types do not declare globally). */
export type RequestBody = NonNullable<RequestInit["body"]> | null;

/** The request fields the fetch path reads; both `LightRequest` and a standard `Request` have them. */
export interface RequestLike {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: RequestBody;
  readonly signal: AbortSignal | null;
}

/**
 * Handed to openapi-fetch as its `Request` class. A standard `Request` would turn the body into
 * a stream and be rebuilt by `fetch` on every attempt; this only records what openapi-fetch
 * built, so the fetch path can send the same string body on each attempt at raw-fetch cost.
 * Middleware registered with `client.use()` therefore sees this object, not a `Request`; it may
 * still return a standard `Request`, which the fetch path also accepts.
 */
export class LightRequest implements RequestLike {
  /** openapi-fetch checks middleware results with `instanceof` its `Request` class. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      value instanceof Request ||
      Object.prototype.isPrototypeOf.call(LightRequest.prototype, value as object)
    );
  }

  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: RequestBody;
  readonly signal: AbortSignal | null;

  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
  }
}
