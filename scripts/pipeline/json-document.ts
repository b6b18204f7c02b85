// Reading a parsed OpenAPI document: plain JSON values and local `$ref`s.

export type JsonObject = Record<string, unknown>;

/** The keys of a path item that hold an operation. */
export const HTTP_METHODS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
] as const;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The keys a local `$ref` (`#/components/parameters/AccountId`) walks, decoded. */
export function pointerKeys(ref: string): string[] {
  if (!ref.startsWith("#/")) {
    throw new Error(`Only local $refs are supported, got "${ref}"`);
  }
  return ref
    .slice(2)
    .split("/")
    .map((raw) => decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The value a local `$ref` names in `document`; throws when it names nothing. */
export function resolvePointer(document: JsonObject, ref: string): unknown {
  let node: unknown = document;
  for (const key of pointerKeys(ref)) {
    node = isObject(node) ? node[key] : undefined;
  }
  if (node === undefined) {
    throw new Error(`Unresolved $ref "${ref}"`);
  }
  return node;
}

/** Follows `$ref`s to the object they name; anything that is not an object reads as `{}`. */
export function deref(document: JsonObject, value: unknown): JsonObject {
  let node = value;
  for (let hops = 0; isObject(node) && typeof node.$ref === "string"; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at "${node.$ref}"`);
    node = resolvePointer(document, node.$ref);
  }
  return isObject(node) ? node : {};
}
