// The spec against Fireworks' published OpenAPI document: everything in the published RLOR slice
// (paths containing `rlorTrainerJobs`, the checkpoint promote, and every schema they reach) must
// be in ours, and whatever ours adds beyond it must say where it comes from in an `x-source` note.
// Usage: npm run spec:compare -- <published-spec> [--spec <our-spec>]
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseYaml } from "@redocly/openapi-core";

export type FindingKind = "missing" | "different" | "unsourced";

export interface Finding {
  /**
   * `missing`: published but not in ours; `different`: in both, but ours has another type,
   * format or requiredness without an `x-source` saying why; `unsourced`: ours adds it and the
   * nearest enclosing object, operation, parameter or schema carries no `x-source`.
   */
  kind: FindingKind;
  /** `METHOD /path`, then the part (`parameter x`, `request body`, `response 200`) and the field. */
  where: string;
  detail: string;
}

/** Paths whose key contains this belong to the RLOR slice. */
export const SLICE_MARKER = "rlorTrainerJobs";
/**
 * Account-level paths that belong to the slice all the same: what a trainer job's results go
 * through (reference/fireworks-trainer-lifecycle.md §5).
 */
export const SLICE_PATHS: readonly string[] = [
  "/v1/accounts/{account_id}/checkpoints/{checkpoint_id}:promote",
];

function inSlice(path: string): boolean {
  return path.includes(SLICE_MARKER) || SLICE_PATHS.includes(path);
}
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const SEPARATOR = " › ";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, key: string): Json {
  const child = isObject(value) ? value[key] : undefined;
  return isObject(child) ? child : {};
}

function hasSource(node: Json): boolean {
  return typeof node["x-source"] === "string" && node["x-source"].trim() !== "";
}

/** One document and its local `$ref`s. */
class Document {
  readonly root: Json;

  constructor(root: Json) {
    this.root = root;
  }

  private pointer(ref: string): Json {
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got "${ref}"`);
    let node: unknown = this.root;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
      node = isObject(node) ? node[key] : undefined;
    }
    if (!isObject(node)) throw new Error(`unresolved $ref "${ref}"`);
    return node;
  }

  /**
   * Follows `$ref`s; keys next to a `$ref` win over the target's (OpenAPI 3.1 allows them, and
   * the published document puts `description` and `readOnly` there). `chain` is every node passed.
   */
  deref(node: unknown): { node: Json; chain: Json[] } {
    const chain: Json[] = [];
    let current = isObject(node) ? node : {};
    let merged: Json = {};
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
  schema: Json;
  /** The node as written that holds the content (the last `$ref` target): stable across visits. */
  origin: Json;
  types: string[] | undefined;
  /** Some node on the way (a property's own schema, a `$ref` target) carries `x-source`. */
  sourced: boolean;
  /** The schema that holds the content (properties, enum) carries `x-source` itself. */
  selfSourced: boolean;
}

function typesOf(schema: Json): string[] | undefined {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t) => typeof t === "string");
  return undefined;
}

function view(document: Document, node: unknown): SchemaView {
  const { node: schema, chain } = document.deref(node);
  let sourced = chain.some(hasSource);
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
      sourced ||= inner.sourced;
      return {
        schema: { ...inner.schema, ...outer },
        origin: inner.origin,
        types,
        sourced,
        selfSourced: inner.selfSourced,
      };
    }
  }
  const origin = chain.at(-1) ?? schema;
  return { schema, origin, types: typesOf(schema), sourced, selfSourced: hasSource(origin) };
}

/** `where` with its last part, the field path inside a schema, extended by `suffix`. */
function child(where: readonly string[], suffix: string): string[] {
  const field = where.at(-1) ?? "";
  return [...where.slice(0, -1), field === "" ? suffix.replace(/^\./, "") : `${field}${suffix}`];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

class Comparison {
  readonly findings: Finding[] = [];
  /** Schema pairs being compared further up: a recursive schema stops there. */
  private readonly active = new Map<Json, Set<Json>>();

  private readonly ours: Document;
  private readonly published: Document;

  constructor(ours: Document, published: Document) {
    this.ours = ours;
    this.published = published;
  }

  private add(kind: FindingKind, where: string[], detail: string): void {
    this.findings.push({
      kind,
      where: where.filter((part) => part !== "").join(SEPARATOR),
      detail,
    });
  }

  run(): Finding[] {
    const publishedPaths = objectAt(this.published.root, "paths");
    const ourPaths = objectAt(this.ours.root, "paths");
    for (const [path, rawItem] of Object.entries(publishedPaths)) {
      if (!inSlice(path)) continue;
      const publishedItem = this.published.deref(rawItem).node;
      if (!(path in ourPaths)) {
        this.add("missing", [path], "path is not in our spec");
        continue;
      }
      const ourItem = this.ours.deref(ourPaths[path]).node;
      for (const method of HTTP_METHODS) {
        const where = `${method.toUpperCase()} ${path}`;
        const publishedOp = publishedItem[method];
        const ourOp = ourItem[method];
        if (publishedOp === undefined) {
          if (
            ourOp !== undefined &&
            !hasSource(ourItem) &&
            !this.ours.deref(ourOp).chain.some(hasSource)
          )
            this.add("unsourced", [where], "operation is not in the published spec");
          continue;
        }
        if (ourOp === undefined) {
          this.add("missing", [where], "operation is not in our spec");
          continue;
        }
        this.compareOperation(where, publishedItem, publishedOp, ourItem, ourOp);
      }
    }
    for (const [path, rawItem] of Object.entries(ourPaths)) {
      if (!inSlice(path) || path in publishedPaths) continue;
      const item = this.ours.deref(rawItem).node;
      const operations = HTTP_METHODS.flatMap((method) =>
        item[method] === undefined ? [] : [item[method]],
      );
      if (!hasSource(item) && !operations.every((op) => this.ours.deref(op).chain.some(hasSource)))
        this.add("unsourced", [path], "path is not in the published spec");
    }
    return this.findings;
  }

  private parameters(
    document: Document,
    pathItem: Json,
    operation: unknown,
  ): Map<string, { node: Json; sourced: boolean }> {
    const byKey = new Map<string, { node: Json; sourced: boolean }>();
    const own = document.deref(operation).node;
    for (const raw of [
      ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
      ...(Array.isArray(own.parameters) ? own.parameters : []),
    ]) {
      const { node, chain } = document.deref(raw);
      byKey.set(`${String(node.in)}:${String(node.name)}`, {
        node,
        sourced: chain.some(hasSource),
      });
    }
    return byKey;
  }

  private compareOperation(
    where: string,
    publishedItem: Json,
    publishedRaw: unknown,
    ourItem: Json,
    ourRaw: unknown,
  ): void {
    const publishedOp = this.published.deref(publishedRaw).node;
    const { node: ourOp, chain: ourChain } = this.ours.deref(ourRaw);
    const opSourced = ourChain.some(hasSource);

    const publishedParameters = this.parameters(this.published, publishedItem, publishedRaw);
    const ourParameters = this.parameters(this.ours, ourItem, ourRaw);
    for (const [key, { node: parameter }] of publishedParameters) {
      const label = `parameter ${String(parameter.name)} (in ${String(parameter.in)})`;
      const ours = ourParameters.get(key);
      if (ours === undefined) {
        this.add("missing", [where, label], "parameter is not in our spec");
        continue;
      }
      if ((parameter.required === true) !== (ours.node.required === true) && !ours.sourced)
        this.add(
          "different",
          [where, label],
          `required is ${ours.node.required === true}, published ${parameter.required === true}`,
        );
      this.compareSchema(parameter.schema, ours.node.schema, [where, label, ""]);
    }
    for (const [key, ours] of ourParameters) {
      if (publishedParameters.has(key) || ours.sourced) continue;
      this.add(
        "unsourced",
        [where, `parameter ${String(ours.node.name)} (in ${String(ours.node.in)})`],
        "parameter is not in the published spec",
      );
    }

    const publishedBody =
      publishedOp.requestBody === undefined
        ? undefined
        : this.published.deref(publishedOp.requestBody).node;
    const ourBody =
      ourOp.requestBody === undefined ? undefined : this.ours.deref(ourOp.requestBody);
    if (publishedBody !== undefined && ourBody === undefined) {
      this.add("missing", [where, "request body"], "request body is not in our spec");
    } else if (publishedBody === undefined && ourBody !== undefined) {
      if (!ourBody.chain.some(hasSource) && !opSourced)
        this.add("unsourced", [where, "request body"], "request body is not in the published spec");
    } else if (publishedBody !== undefined && ourBody !== undefined) {
      const bodySourced = ourBody.chain.some(hasSource);
      if ((publishedBody.required === true) !== (ourBody.node.required === true) && !bodySourced)
        this.add(
          "different",
          [where, "request body"],
          `required is ${ourBody.node.required === true}, published ${publishedBody.required === true}`,
        );
      this.compareContent([where, "request body"], publishedBody, ourBody.node, bodySourced);
    }

    const publishedResponses = this.published.deref(publishedOp.responses).node;
    const ourResponses = this.ours.deref(ourOp.responses).node;
    for (const [status, raw] of Object.entries(publishedResponses)) {
      const label = `response ${status}`;
      if (!(status in ourResponses)) {
        this.add("missing", [where, label], "response is not in our spec");
        continue;
      }
      const ours = this.ours.deref(ourResponses[status]);
      this.compareContent(
        [where, label],
        this.published.deref(raw).node,
        ours.node,
        ours.chain.some(hasSource),
      );
    }
    for (const [status, raw] of Object.entries(ourResponses)) {
      if (status in publishedResponses || this.ours.deref(raw).chain.some(hasSource)) continue;
      this.add("unsourced", [where, `response ${status}`], "response is not in the published spec");
    }
  }

  private compareContent(where: string[], published: Json, ours: Json, sourced: boolean): void {
    const publishedContent = objectAt(published, "content");
    const ourContent = objectAt(ours, "content");
    for (const [media, entry] of Object.entries(publishedContent)) {
      if (!(media in ourContent)) {
        this.add("missing", where, `media type ${media} is not in our spec`);
        continue;
      }
      this.compareSchema(objectAt(entry, "schema"), objectAt(ourContent[media], "schema"), [
        ...where,
        "",
      ]);
    }
    for (const media of Object.keys(ourContent)) {
      if (!(media in publishedContent) && !sourced)
        this.add("unsourced", where, `media type ${media} is not in the published spec`);
    }
  }

  /** `where`: the operation, its part and the field path inside the schema (`""` at the top). */
  private compareSchema(publishedRaw: unknown, ourRaw: unknown, where: string[]): void {
    const published = view(this.published, publishedRaw);
    const ours = view(this.ours, ourRaw);
    const active = this.active.get(published.origin) ?? new Set<Json>();
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

    if (published.types !== undefined) {
      const oTypes = ours.types ?? [];
      const absent = published.types.filter((type) => !oTypes.includes(type));
      if (ours.types === undefined)
        this.add("missing", where, `type ${published.types.join(" | ")} is not declared`);
      else if (absent.length > 0 && !ours.sourced)
        this.add(
          "different",
          where,
          `type is ${oTypes.join(" | ")}, published ${published.types.join(" | ")}`,
        );
      const extra = oTypes.filter((type) => !published.types?.includes(type));
      if (ours.types !== undefined && absent.length === 0 && extra.length > 0 && !ours.sourced)
        this.add("unsourced", where, `type ${extra.join(" | ")} is not in the published spec`);
    }

    if (typeof p.format === "string") {
      if (o.format === undefined) this.add("missing", where, `format ${p.format} is not declared`);
      else if (o.format !== p.format && !ours.sourced)
        this.add("different", where, `format is ${String(o.format)}, published ${p.format}`);
    } else if (o.format !== undefined && !ours.sourced) {
      this.add("unsourced", where, `format ${String(o.format)} is not in the published spec`);
    }

    if (Array.isArray(p.enum)) {
      const ourValues = stringList(o.enum);
      const publishedValues = stringList(p.enum);
      const absent = publishedValues.filter((value) => !ourValues.includes(value));
      if (absent.length > 0)
        this.add("missing", where, `enum value(s) ${absent.join(", ")} are not in our spec`);
      const extra = ourValues.filter((value) => !publishedValues.includes(value));
      if (extra.length > 0 && !ours.sourced)
        this.add(
          "unsourced",
          where,
          `enum value(s) ${extra.join(", ")} are not in the published spec`,
        );
    } else if (Array.isArray(o.enum) && !ours.sourced) {
      this.add("unsourced", where, "enum is not in the published spec");
    }

    const ourRequired = stringList(o.required);
    const absentRequired = stringList(p.required).filter((name) => !ourRequired.includes(name));
    if (absentRequired.length > 0 && !ours.sourced)
      this.add(
        "different",
        where,
        `required property(ies) ${absentRequired.join(", ")} are optional in ours`,
      );

    const publishedProperties = objectAt(p, "properties");
    const ourProperties = objectAt(o, "properties");
    for (const [name, schema] of Object.entries(publishedProperties)) {
      if (!(name in ourProperties))
        this.add("missing", child(where, `.${name}`), "property is not in our spec");
      else this.compareSchema(schema, ourProperties[name], child(where, `.${name}`));
    }
    for (const [name, schema] of Object.entries(ourProperties)) {
      if (
        name in publishedProperties ||
        ours.selfSourced ||
        (isObject(schema) && hasSource(schema))
      )
        continue;
      this.add("unsourced", child(where, `.${name}`), "property is not in the published spec");
    }

    if (p.items !== undefined) {
      if (o.items === undefined) this.add("missing", where, "array items are not declared");
      else this.compareSchema(p.items, o.items, child(where, "[]"));
    }
    if (isObject(p.additionalProperties)) {
      if (!isObject(o.additionalProperties))
        this.add("missing", where, "additionalProperties schema is not declared");
      else this.compareSchema(p.additionalProperties, o.additionalProperties, child(where, "{}"));
    }
  }
}

/**
 * Compares our spec with the published spec's RLOR slice (both parsed documents). Operations and
 * schemas are matched by path, method and position, never by name: the published operationIds
 * (`Gateway_ListRlorTrainerJobs`) and schema names (`gatewayRlorTrainerJob`) differ from ours by
 * design. Returns no findings when ours covers the slice and sources every addition.
 */
export function compareSpecs(ours: unknown, published: unknown): Finding[] {
  if (!isObject(ours) || !isObject(published)) throw new Error("both specs must be parsed objects");
  return new Comparison(new Document(ours), new Document(published)).run();
}

/** The findings as text, one group per path and operation, in the order found. */
export function formatFindings(findings: readonly Finding[]): string {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const [head = finding.where] = finding.where.split(SEPARATOR, 1);
    groups.set(head, [...(groups.get(head) ?? []), finding]);
  }
  const lines: string[] = [];
  for (const [head, group] of groups) {
    lines.push(head);
    for (const finding of group) {
      const rest = finding.where.slice(head.length + SEPARATOR.length);
      lines.push(`  ${finding.kind.padEnd(9)} ${rest === "" ? "" : `${rest}: `}${finding.detail}`);
    }
  }
  return lines.join("\n");
}

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_SPEC = "openapi/rlor-trainer-jobs.yaml";

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** The command line; returns the exit code (0 covered, 1 findings, 2 usage). */
export async function main(args: string[], output: Output = console): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { spec: { type: "string", default: join(PROJECT_ROOT, DEFAULT_SPEC) } },
  });
  const [publishedPath, ...extra] = positionals;
  if (publishedPath === undefined || extra.length > 0) {
    output.error("usage: npm run spec:compare -- <published-spec> [--spec <our-spec>]");
    return 2;
  }
  const [ours, published] = await Promise.all(
    [values.spec, publishedPath].map(async (path) =>
      // npm runs scripts in the project root; INIT_CWD is where the command was typed.
      parseYaml(await readFile(resolve(process.env.INIT_CWD ?? process.cwd(), path), "utf8")),
    ),
  );
  const findings = compareSpecs(ours, published);
  if (findings.length === 0) {
    output.log("our spec covers the published RLOR slice");
    return 0;
  }
  const counts = (["missing", "different", "unsourced"] as const)
    .map((kind) => [kind, findings.filter((finding) => finding.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  output.log(formatFindings(findings));
  output.error(`our spec does not cover the published RLOR slice: ${counts.join(", ")}`);
  return 1;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  process.exitCode = await main(process.argv.slice(2));
}
