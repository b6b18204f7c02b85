import {
  checkSegment,
  type OperationEntry,
  type QueryEntry,
  type SegmentRule,
} from "../../generated/runtime.js";
import { parseJsonObject } from "../internal/json.js";
import { type FakeReply, fakeError } from "./replies.js";

/** A query value as its declared type reads it. */
export type FakeQueryValue = string | number | boolean;

/** A checked value, or the 400 reply that refuses it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reply: FakeReply };

/** A 400 INVALID_ARGUMENT refusal. */
export function invalid(message: string): { ok: false; reply: FakeReply } {
  return { ok: false, reply: fakeError("INVALID_ARGUMENT", message) };
}

/** The 400 INVALID_ARGUMENT the server answers a segment the client would refuse with, if any. */
export function segmentRefusal(value: string, rule: SegmentRule): FakeReply | undefined {
  try {
    checkSegment(value, rule);
    return undefined;
  } catch (error) {
    return fakeError("INVALID_ARGUMENT", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Decodes the path parameters and checks each against its rule in the operation's resource
 * pattern: the server refuses whatever the client itself would refuse to send.
 */
export function checkPathParams(
  entry: OperationEntry,
  rawParams: Readonly<Record<string, string>>,
): Checked<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(rawParams)) {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return invalid(`invalid percent-encoding in path parameter ${name}: ${JSON.stringify(raw)}`);
    }
    const parameter = entry.resource?.segments.find(
      (segment) => typeof segment !== "string" && segment.name === name,
    );
    if (parameter !== undefined && typeof parameter !== "string") {
      const refusal = segmentRefusal(value, parameter.rule);
      if (refusal !== undefined) return { ok: false, reply: refusal };
    }
    params[name] = value;
  }
  return { ok: true, value: params };
}

/** The literals of a type such as `"A" | "B"`, or undefined for a plain type. */
function literals(type: string): string[] | undefined {
  const parts = type.split("|").map((part) => part.trim());
  return parts.every((part) => /^".*"$/.test(part))
    ? parts.map((part) => JSON.parse(part) as string)
    : undefined;
}

function parseQueryValue(query: QueryEntry, text: string): FakeQueryValue | undefined {
  if (query.type === "string") return text;
  if (query.type === "number") {
    // Number("") and Number(" ") are 0: only a written number counts.
    const value = /^\s*$/.test(text) ? Number.NaN : Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  if (query.type === "boolean")
    return text === "true" ? true : text === "false" ? false : undefined;
  return literals(query.type)?.includes(text) ? text : undefined;
}

/**
 * The query parameters the operation declares, read by their declared type. Others are let
 * through unread: the gateway ignores what it does not know, and SDKs send extras.
 */
export function checkQuery(
  entry: OperationEntry,
  search: URLSearchParams,
): Checked<Record<string, FakeQueryValue>> {
  const query: Record<string, FakeQueryValue> = {};
  for (const parameter of entry.query) {
    const text = search.get(parameter.name);
    if (text === null) {
      if (parameter.required) return invalid(`missing query parameter ${parameter.name}`);
      continue;
    }
    const value = parseQueryValue(parameter, text);
    if (value === undefined) {
      return invalid(
        `invalid value ${JSON.stringify(text)} for query parameter ${parameter.name}: expected ${parameter.type}`,
      );
    }
    query[parameter.name] = value;
  }
  return { ok: true, value: query };
}

const SYNTAX_ERROR = "proto: syntax error (line 1:1): unexpected token";

/**
 * Reads the body by the operation's body kind, as the gateway does: `empty` must be an object
 * with no fields, `object` any JSON object. A missing body reads as `{}`: the training SDK posts
 * resume with none and the server takes it.
 */
export function checkBody(entry: OperationEntry, raw: string): Checked<Record<string, unknown>> {
  if (entry.body === "none" || raw.trim() === "") return { ok: true, value: {} };
  const body = parseJsonObject(raw);
  if (body === undefined) return invalid(SYNTAX_ERROR);
  const [unknownField] = Object.keys(body);
  if (entry.body === "empty" && unknownField !== undefined) {
    return invalid(`proto: (line 1:2): unknown field "${unknownField}"`);
  }
  return { ok: true, value: body };
}
