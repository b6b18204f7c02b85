// The comparison stage of `npm run spec:compare`: our spec against Fireworks' published OpenAPI
// document, restricted to its RLOR slice (paths containing `rlorTrainerJobs`, the checkpoint
// promote, and every schema they reach), in both directions. Plain parsed documents in, a list of findings out.
import {
  HTTP_METHODS,
  isObject,
  type JsonObject,
  list,
  resolvePointer,
} from "../pipeline/json-document.js";

/**
 * `published-only`: the published spec has it and ours lacks it (upstream added it, or we never
 * transcribed it). `ours-only`: ours has it and the published spec does not, and no `x-source`
 * marks it as an addition of ours (upstream dropped it, or we added it without saying where
 * from). `changed`: in both, but ours has another type, format or requiredness and no `x-source`
 * on the way says why. `adopted`: in both, but its own `x-source` marks it as an addition of
 * ours: the note should now credit the published spec, or a later drop of it would go unreported.
 */
export type FindingKind = "published-only" | "ours-only" | "changed" | "adopted";

export interface Finding {
  kind: FindingKind;
  /** `METHOD /path`, then the part (`parameter x`, `request body`, `response 200`) and the field. */
  where: string;
  detail: string;
}

/** Paths whose key contains this belong to the RLOR slice. */
const SLICE_MARKER = "rlorTrainerJobs";
/**
 * Account-level paths that belong to the slice all the same: what a trainer job's results go
 * through (reference/fireworks-trainer-lifecycle.md §5).
 */
const SLICE_PATHS: readonly string[] = [
  "/v1/accounts/{account_id}/checkpoints/{checkpoint_id}:promote",
];

function inSlice(path: string): boolean {
  return path.includes(SLICE_MARKER) || SLICE_PATHS.includes(path);
}
/** Joins the parts of `Finding.where`; its first part is always the operation. */
export const WHERE_SEPARATOR = " › ";
/** An `x-source` starting with this credits Fireworks' published spec with the element. */
const PUBLISHED_CREDIT = /^published spec\b/i;

function objectAt(value: unknown, key: string): JsonObject {
  const child = isObject(value) ? value[key] : undefined;
  return isObject(child) ? child : {};
}

function noteOf(node: JsonObject): string | undefined {
  const note = node["x-source"];
  return typeof note === "string" && note.trim() !== "" ? note : undefined;
}

/** Some node on the way carries an `x-source`: it explains how ours differs there. */
function explained(chain: readonly JsonObject[]): boolean {
  return chain.some((node) => noteOf(node) !== undefined);
}

/**
 * The element (its nodes as written, then their `$ref` targets) is an addition of ours: its
 * nearest `x-source` names where it comes from, and that is not the published spec. A note that
 * starts with "published spec" says the element is Fireworks', so its absence there is drift.
 */
function addedByUs(chain: readonly JsonObject[]): boolean {
  const note = chain.map(noteOf).find((text) => text !== undefined);
  return note !== undefined && !PUBLISHED_CREDIT.test(note);
}

/** An enum value of ours is an addition when an `x-source` on the enum names it. */
function namesValue(chain: readonly JsonObject[], value: string): boolean {
  const word = new RegExp(`(?<![\\w])${value.replace(/[^\w]/g, "\\$&")}(?![\\w])`);
  return chain.some((node) => word.test(noteOf(node) ?? ""));
}

/** One document and its local `$ref`s. */
class Document {
  readonly root: JsonObject;

  constructor(root: JsonObject) {
    this.root = root;
  }

  private pointer(ref: string): JsonObject {
    const node = resolvePointer(this.root, ref);
    if (!isObject(node)) throw new Error(`unresolved $ref "${ref}"`);
    return node;
  }

  /**
   * Follows `$ref`s; keys next to a `$ref` win over the target's (OpenAPI 3.1 allows them, and
   * the published document puts `description` and `readOnly` there). `chain` is every node passed.
   */
  deref(node: unknown): { node: JsonObject; chain: JsonObject[] } {
    const chain: JsonObject[] = [];
    let current = isObject(node) ? node : {};
    let merged: JsonObject = {};
    for (let hops = 0; ; hops++) {
      if (hops > 32) throw new Error("$ref chain longer than 32 hops");
      chain.push(current);
      const { $ref, ...siblings } = current;
      merged = { ...siblings, ...merged };
      if (typeof $ref !== "string") return { node: merged, chain };
      current = this.pointer($ref);
    }
  }
}

/** A schema as compared: `$ref`s followed, and `anyOf: [X, {type: null}]` read as a nullable X. */
interface SchemaView {
  /** The merged schema: a `$ref`'s siblings over its target, a nullable wrapper's keys over X. */
  schema: JsonObject;
  /** The node as written that holds the content (the last `$ref` target): stable across visits. */
  origin: JsonObject;
  types: string[] | undefined;
  /** Every node passed on the way to the content (the property's own schema, `$ref` targets). */
  chain: JsonObject[];
}

function typesOf(schema: JsonObject): string[] | undefined {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t) => typeof t === "string");
  return undefined;
}

function view(document: Document, node: unknown): SchemaView {
  const { node: schema, chain } = document.deref(node);
  const variants = [schema.anyOf, schema.oneOf, schema.allOf].find(Array.isArray);
  if (variants !== undefined) {
    const real = variants.filter((variant) => !(isObject(variant) && variant.type === "null"));
    const only = real[0];
    if (real.length === 1 && only !== undefined) {
      const inner = view(document, only);
      const { anyOf: _a, oneOf: _o, allOf: _l, ...outer } = schema;
      const nullable = real.length < variants.length;
      const types =
        inner.types === undefined ? undefined : [...inner.types, ...(nullable ? ["null"] : [])];
      return {
        schema: { ...inner.schema, ...outer },
        origin: inner.origin,
        types,
        chain: [...chain, ...inner.chain],
      };
    }
  }
  return { schema, origin: chain.at(-1) ?? schema, types: typesOf(schema), chain };
}

/** `where` with its last part, the field path inside a schema, extended by `suffix`. */
function child(where: readonly string[], suffix: string): string[] {
  const field = where.at(-1) ?? "";
  return [...where.slice(0, -1), field === "" ? suffix.replace(/^\./, "") : `${field}${suffix}`];
}

function stringList(value: unknown): string[] {
  return list(value).map(String);
}

/** `operation <operationId>`: the name a maintainer searches the code and docs for. */
function operationLabel(operation: JsonObject): string {
  return typeof operation.operationId === "string"
    ? `operation ${operation.operationId}`
    : "operation";
}

class Comparison {
  readonly findings: Finding[] = [];
  /** Schema pairs being compared further up: a recursive schema stops there. */
  private readonly active = new Map<JsonObject, Set<JsonObject>>();

  private readonly ours: Document;
  private readonly published: Document;

  constructor(ours: Document, published: Document) {
    this.ours = ours;
    this.published = published;
  }

  private add(kind: FindingKind, where: string[], detail: string): void {
    this.findings.push({
      kind,
      where: where.filter((part) => part !== "").join(WHERE_SEPARATOR),
      detail,
    });
  }

  run(): Finding[] {
    const publishedPaths = objectAt(this.published.root, "paths");
    const ourPaths = objectAt(this.ours.root, "paths");
    const slice = new Set(
      [...Object.keys(publishedPaths), ...Object.keys(ourPaths)].filter(inSlice),
    );
    for (const path of slice) {
      const publishedItem =
        path in publishedPaths ? this.published.deref(publishedPaths[path]) : undefined;
      const ourItem = path in ourPaths ? this.ours.deref(ourPaths[path]) : undefined;
      for (const method of HTTP_METHODS) {
        const where = `${method.toUpperCase()} ${path}`;
        const publishedOp = publishedItem?.node[method];
        const ourOp = ourItem?.node[method];
        if (ourOp === undefined) {
          if (publishedOp !== undefined)
            this.add(
              "published-only",
              [where],
              operationLabel(this.published.deref(publishedOp).node),
            );
          continue;
        }
        const ours = this.ours.deref(ourOp);
        const added = addedByUs([...ours.chain, ...(ourItem?.chain ?? [])]);
        if (publishedOp === undefined) {
          if (!added) this.add("ours-only", [where], operationLabel(ours.node));
          continue;
        }
        if (added) this.add("adopted", [where], operationLabel(ours.node));
        this.compareOperation(
          where,
          publishedItem?.node ?? {},
          this.published.deref(publishedOp).node,
          ourItem?.node ?? {},
          ours.node,
        );
      }
    }
    return this.findings;
  }

  private parameters(
    document: Document,
    pathItem: JsonObject,
    operation: JsonObject,
  ): Map<string, { node: JsonObject; chain: JsonObject[] }> {
    const byKey = new Map<string, { node: JsonObject; chain: JsonObject[] }>();
    for (const raw of [...list(pathItem.parameters), ...list(operation.parameters)]) {
      const resolved = document.deref(raw);
      byKey.set(`${String(resolved.node.in)}:${String(resolved.node.name)}`, resolved);
    }
    return byKey;
  }

  /** The operations (`publishedOp`, `ourOp`) with their `$ref`s already followed. */
  private compareOperation(
    where: string,
    publishedItem: JsonObject,
    publishedOp: JsonObject,
    ourItem: JsonObject,
    ourOp: JsonObject,
  ): void {
    const publishedParameters = this.parameters(this.published, publishedItem, publishedOp);
    const ourParameters = this.parameters(this.ours, ourItem, ourOp);
    for (const [key, { node: parameter }] of publishedParameters) {
      const label = `parameter ${String(parameter.name)} (in ${String(parameter.in)})`;
      const ours = ourParameters.get(key);
      if (ours === undefined) {
        this.add("published-only", [where, label], "parameter");
        continue;
      }
      if (addedByUs(ours.chain)) this.add("adopted", [where, label], "parameter");
      if ((parameter.required === true) !== (ours.node.required === true) && !explained(ours.chain))
        this.add(
          "changed",
          [where, label],
          `required is ${ours.node.required === true}, published ${parameter.required === true}`,
        );
      this.compareSchema(parameter.schema, ours.node.schema, [where, label, ""]);
    }
    for (const [key, ours] of ourParameters) {
      if (publishedParameters.has(key) || addedByUs(ours.chain)) continue;
      this.add(
        "ours-only",
        [where, `parameter ${String(ours.node.name)} (in ${String(ours.node.in)})`],
        "parameter",
      );
    }

    const publishedBody =
      publishedOp.requestBody === undefined
        ? undefined
        : this.published.deref(publishedOp.requestBody).node;
    const ourBody =
      ourOp.requestBody === undefined ? undefined : this.ours.deref(ourOp.requestBody);
    if (publishedBody !== undefined && ourBody === undefined) {
      this.add("published-only", [where, "request body"], "request body");
    } else if (publishedBody === undefined && ourBody !== undefined) {
      if (!addedByUs(ourBody.chain)) this.add("ours-only", [where, "request body"], "request body");
    } else if (publishedBody !== undefined && ourBody !== undefined) {
      if (
        (publishedBody.required === true) !== (ourBody.node.required === true) &&
        !explained(ourBody.chain)
      )
        this.add(
          "changed",
          [where, "request body"],
          `required is ${ourBody.node.required === true}, published ${publishedBody.required === true}`,
        );
      this.compareContent([where, "request body"], publishedBody, ourBody.node, ourBody.chain);
    }

    const publishedResponses = this.published.deref(publishedOp.responses).node;
    const ourResponses = this.ours.deref(ourOp.responses).node;
    for (const [status, raw] of Object.entries(publishedResponses)) {
      const label = `response ${status}`;
      if (!(status in ourResponses)) {
        this.add("published-only", [where, label], "response");
        continue;
      }
      const ours = this.ours.deref(ourResponses[status]);
      if (addedByUs(ours.chain)) this.add("adopted", [where, label], "response");
      this.compareContent([where, label], this.published.deref(raw).node, ours.node, ours.chain);
    }
    for (const [status, raw] of Object.entries(ourResponses)) {
      if (status in publishedResponses || addedByUs(this.ours.deref(raw).chain)) continue;
      this.add("ours-only", [where, `response ${status}`], "response");
    }
  }

  private compareContent(
    where: string[],
    published: JsonObject,
    ours: JsonObject,
    ourChain: JsonObject[],
  ): void {
    const publishedContent = objectAt(published, "content");
    const ourContent = objectAt(ours, "content");
    for (const [media, entry] of Object.entries(publishedContent)) {
      if (!(media in ourContent)) {
        this.add("published-only", where, `media type ${media}`);
        continue;
      }
      this.compareSchema(objectAt(entry, "schema"), objectAt(ourContent[media], "schema"), [
        ...where,
        "",
      ]);
    }
    for (const media of Object.keys(ourContent)) {
      if (!(media in publishedContent) && !addedByUs(ourChain))
        this.add("ours-only", where, `media type ${media}`);
    }
  }

  /** `where`: the operation, its part and the field path inside the schema (`""` at the top). */
  private compareSchema(publishedRaw: unknown, ourRaw: unknown, where: string[]): void {
    const published = view(this.published, publishedRaw);
    const ours = view(this.ours, ourRaw);
    const active = this.active.get(published.origin) ?? new Set<JsonObject>();
    if (active.has(ours.origin)) return;
    active.add(ours.origin);
    this.active.set(published.origin, active);
    try {
      this.compareResolved(published, ours, where);
    } finally {
      active.delete(ours.origin);
    }
  }

  private compareResolved(published: SchemaView, ours: SchemaView, where: string[]): void {
    const p = published.schema;
    const o = ours.schema;
    const oursExplained = explained(ours.chain);

    if (published.types !== undefined) {
      const oTypes = ours.types ?? [];
      const absent = published.types.filter((type) => !oTypes.includes(type));
      if (ours.types === undefined)
        this.add("published-only", where, `type ${published.types.join(" | ")}`);
      else if (absent.length > 0 && !oursExplained)
        this.add(
          "changed",
          where,
          `type is ${oTypes.join(" | ")}, published ${published.types.join(" | ")}`,
        );
      const extra = oTypes.filter((type) => !published.types?.includes(type));
      if (ours.types !== undefined && absent.length === 0 && extra.length > 0 && !oursExplained)
        this.add("ours-only", where, `type ${extra.join(" | ")}`);
    }

    if (typeof p.format === "string") {
      if (o.format === undefined) this.add("published-only", where, `format ${p.format}`);
      else if (o.format !== p.format && !oursExplained)
        this.add("changed", where, `format is ${String(o.format)}, published ${p.format}`);
    } else if (o.format !== undefined && !oursExplained) {
      this.add("ours-only", where, `format ${String(o.format)}`);
    }

    if (Array.isArray(p.enum)) {
      const ourValues = stringList(o.enum);
      const publishedValues = stringList(p.enum);
      const absent = publishedValues.filter((value) => !ourValues.includes(value));
      if (absent.length > 0)
        this.add("published-only", where, `enum value(s) ${absent.join(", ")}`);
      const adopted = ourValues.filter(
        (value) => publishedValues.includes(value) && namesValue(ours.chain, value),
      );
      if (adopted.length > 0) this.add("adopted", where, `enum value(s) ${adopted.join(", ")}`);
      const extra = ourValues.filter(
        (value) => !publishedValues.includes(value) && !namesValue(ours.chain, value),
      );
      if (extra.length > 0) this.add("ours-only", where, `enum value(s) ${extra.join(", ")}`);
    } else if (Array.isArray(o.enum) && !oursExplained) {
      this.add("ours-only", where, "enum");
    }

    const ourRequired = stringList(o.required);
    const absentRequired = stringList(p.required).filter((name) => !ourRequired.includes(name));
    if (absentRequired.length > 0 && !oursExplained)
      this.add(
        "changed",
        where,
        `required property(ies) ${absentRequired.join(", ")} are optional in ours`,
      );

    const publishedProperties = objectAt(p, "properties");
    const ourProperties = objectAt(o, "properties");
    for (const [name, schema] of Object.entries(publishedProperties)) {
      const ourSchema = ourProperties[name];
      if (!(name in ourProperties)) {
        this.add("published-only", child(where, `.${name}`), "field");
        continue;
      }
      if (isObject(ourSchema) && addedByUs([ourSchema]))
        this.add("adopted", child(where, `.${name}`), "field");
      this.compareSchema(schema, ourSchema, child(where, `.${name}`));
    }
    for (const [name, schema] of Object.entries(ourProperties)) {
      // Only the field's own node speaks for the field: a note on the schema it refers to
      // (`$ref: Region`) is about that type's values, and other fields share it.
      if (name in publishedProperties || (isObject(schema) && addedByUs([schema]))) continue;
      this.add("ours-only", child(where, `.${name}`), "field");
    }

    if (p.items !== undefined) {
      if (o.items === undefined) this.add("published-only", where, "array items");
      else this.compareSchema(p.items, o.items, child(where, "[]"));
    }
    if (isObject(p.additionalProperties)) {
      if (!isObject(o.additionalProperties))
        this.add("published-only", where, "additionalProperties schema");
      else this.compareSchema(p.additionalProperties, o.additionalProperties, child(where, "{}"));
    }
  }
}

/**
 * Compares our spec with the published spec's RLOR slice (both parsed documents), both ways.
 * Operations and schemas are matched by path, method and position, never by name: the published
 * operationIds (`Gateway_ListRlorTrainerJobs`) and schema names (`gatewayRlorTrainerJob`) differ
 * from ours by design. Returns no findings when the two agree but for our marked additions.
 */
export function compareSpecs(ours: unknown, published: unknown): Finding[] {
  if (!isObject(ours) || !isObject(published)) throw new Error("both specs must be parsed objects");
  return new Comparison(new Document(ours), new Document(published)).run();
}
