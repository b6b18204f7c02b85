import { redactHeaders, redactJob, redactJson } from "../core/redact.js";

/** A request as --dry-run and --debug show it: no secret in it. */
export interface RequestView {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function bodyText(body: RequestInit["body"]): string {
  if (body === null || body === undefined) return "";
  if (typeof body === "string") return body;
  return body instanceof ArrayBuffer ? new TextDecoder().decode(body) : "[streamed body]";
}

/**
 * A request as the client hands it to its `fetch` option, shown without secrets: credential
 * headers redacted, and URL, header names and values and the body passed through `scrub` (the
 * client's: the API key and what it learnt) too.
 */
export function viewRequest(
  url: string,
  init: RequestInit,
  scrub: (text: string) => string,
): RequestView {
  const headers = Array.from(new Headers(init.headers), ([name, value]): [string, string] => [
    scrub(name),
    scrub(value),
  ]);
  const view: RequestView = {
    method: init.method ?? "GET",
    url: scrub(url),
    headers: redactHeaders(headers),
  };
  const text = bodyText(init.body);
  // A create body may carry wandbConfig.apiKey, and echo it elsewhere: never shown.
  if (text !== "") view.body = redactJson(redactJob(parseBody(text)), scrub);
  return view;
}

/** curl-like text: request line, headers, blank line, body. */
export function formatRequestText(view: RequestView): string {
  const headers = Object.entries(view.headers).map(([name, value]) => `${name}: ${value}\n`);
  const body = view.body === undefined ? "" : `\n${JSON.stringify(view.body)}\n`;
  return `${view.method} ${view.url}\n${headers.join("")}${body}`;
}
