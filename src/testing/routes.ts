import type { OperationEntry } from "../../generated/runtime.js";
import { type FakeReply, fakeError, grpcReply } from "./replies.js";

/** One segment of a path template: a literal, or a `{param}` with an optional `:verb` after it. */
type TemplateSegment =
  | { kind: "literal"; text: string }
  | { kind: "param"; name: string; verb: string | undefined };

interface Route {
  entry: OperationEntry;
  segments: TemplateSegment[];
}

/** An operation the request names, with its path parameters still percent-encoded. */
export interface RouteMatch {
  entry: OperationEntry;
  rawParams: Record<string, string>;
}

const PARAM = /^\{([^}]+)\}(?::(.+))?$/;

function compile(entry: OperationEntry): Route {
  const segments = entry.path
    .split("/")
    .slice(1)
    .map((text): TemplateSegment => {
      const param = PARAM.exec(text);
      return param?.[1] === undefined
        ? { kind: "literal", text }
        : { kind: "param", name: param[1], verb: param[2] };
    });
  return { entry, segments };
}

/**
 * The path parameters of `segments` in the raw path, or undefined when the path is another one.
 * A raw ":" in a parameter segment starts the verb, as at the gateway: an id holding ":" is sent
 * percent-encoded, so `job:resume` is the resume of `job`, never the job `job:resume`.
 */
function matchPath(route: Route, raw: readonly string[]): Record<string, string> | undefined {
  if (raw.length !== route.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const text = raw[i] ?? "";
    if (segment.kind === "literal") {
      if (text !== segment.text) return undefined;
      continue;
    }
    const colon = text.indexOf(":");
    const value = colon === -1 ? text : text.slice(0, colon);
    const verb = colon === -1 ? undefined : text.slice(colon + 1);
    if (verb !== segment.verb || value === "") return undefined;
    params[segment.name] = value;
  }
  return params;
}

/** Finds the operation for a method and a raw path, from the operation table alone. */
export function createRoutes(operations: readonly OperationEntry[]) {
  const routes = operations.map(compile);
  return {
    /** The operation, or the gateway's 404 (no such path) or 405 (path known, method not). */
    match(method: string, path: string): RouteMatch | FakeReply {
      const raw = path.split("/").slice(1);
      let pathKnown = false;
      for (const route of routes) {
        const rawParams = matchPath(route, raw);
        if (rawParams === undefined) continue;
        if (route.entry.method === method) return { entry: route.entry, rawParams };
        pathKnown = true;
      }
      return pathKnown
        ? grpcReply(405, 12, "Method Not Allowed")
        : fakeError("NOT_FOUND", "Not Found");
    },
  };
}
