import { redactHeaders, redactJob } from "../core/redact.js";

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

/** A request as the client hands it to its `fetch` option, shown without secrets. */
export function viewRequest(url: string, init: RequestInit): RequestView {
  const view: RequestView = {
    method: init.method ?? "GET",
    url,
    headers: redactHeaders(new Headers(init.headers)),
  };
  const text = bodyText(init.body);
  // A create body may carry wandbConfig.apiKey: never shown.
  if (text !== "") view.body = redactJob(parseBody(text));
  return view;
}

/** curl-like text: request line, headers, blank line, body. */
export function formatRequestText(view: RequestView): string {
  const headers = Object.entries(view.headers).map(([name, value]) => `${name}: ${value}\n`);
  const body = view.body === undefined ? "" : `\n${JSON.stringify(view.body)}\n`;
  return `${view.method} ${view.url}\n${headers.join("")}${body}`;
}
