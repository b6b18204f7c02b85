// The spec against the docs page it was transcribed from: every field, nesting, type, format, enum
// value, default and description on the page must be in openapi/rlor-trainer-jobs.yaml.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseYaml } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { DEFAULT_SPEC, PROJECT_ROOT } from "../../scripts/pipeline/project.js";

const PAGE =
  process.env.RLOR_DOCS_PAGE ??
  resolve(PROJECT_ROOT, "../shared/api-docs/resume-rlor-trainer-job.txt");
const pageExists = existsSync(PAGE);
if (!pageExists)
  console.warn(`fidelity tests skipped: no docs page at ${PAGE} (set RLOR_DOCS_PAGE)`);

type Schema = Record<string, unknown>;

interface PageField {
  name: string;
  type: string;
  format: string | undefined;
  title: string | undefined;
  defaultValue: string | undefined;
  options: string[];
  description: string;
}

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/** The JSON example of the 200 body: the first block that opens with a lone `{` line. */
function pageExample(lines: string[]): Schema {
  const start = lines.indexOf("{");
  const end = lines.indexOf("}", start);
  return JSON.parse(lines.slice(start, end + 1).join("\n")) as Schema;
}

const TYPE_LINE =
  /^(?:(?<title>.+) · )?(?<type>string\[\]|enum<string>|[a-z]+)(?:<(?<format>[a-z0-9-]+)>)?$/;

/** The field list of the response section: a name line, a type line, then default, description, options. */
function pageFields(lines: string[], names: ReadonlySet<string>): PageField[] {
  const body = lines
    .slice(lines.indexOf("200 - application/json") + 1)
    .filter((line) => line.trim() !== "");
  const fields: PageField[] = [];
  let current: PageField | undefined;
  let inOptions = false;
  for (let index = 0; index < body.length; index++) {
    const line = body[index]?.trim() ?? "";
    const typeMatch = TYPE_LINE.exec(body[index + 1]?.trim() ?? "");
    if (names.has(line) && typeMatch?.groups !== undefined) {
      const { type = "", format, title } = typeMatch.groups;
      current = {
        name: line,
        type,
        format,
        title,
        defaultValue: undefined,
        options: [],
        description: "",
      };
      fields.push(current);
      inOptions = false;
      index++; // the type line
    } else if (current === undefined) {
      // still before the first field
    } else if (line.startsWith("default:")) {
      current.defaultValue = line.slice("default:".length);
    } else if (line === "Available options:") {
      inOptions = true;
    } else if (inOptions) {
      current.options.push(line.replace(/,$/, ""));
    } else {
      current.description = normalize(`${current.description} ${line}`);
    }
  }
  return fields;
}

const pageText = pageExists ? readFileSync(PAGE, "utf8") : "";
const pageLines = pageText.split("\n");
const spec = parseYaml(readFileSync(join(PROJECT_ROOT, DEFAULT_SPEC), "utf8")) as Schema;

function at(pointer: string): Schema {
  let node: unknown = spec;
  for (const key of pointer.replace(/^#\//, "").split("/")) {
    node = (node as Schema)[key.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  if (typeof node !== "object" || node === null) throw new Error(`${pointer} is not in the spec`);
  return node as Schema;
}

/** A property's schema with `$ref` and the nullable `anyOf: [X, null]` unwrapped; outer keys win. */
function effective(schema: Schema): Schema {
  if (typeof schema.$ref === "string")
    return { ...effective(at(schema.$ref)), ...withoutKeys(schema, "$ref") };
  if (Array.isArray(schema.anyOf)) {
    const variants = (schema.anyOf as Schema[]).filter((variant) => variant.type !== "null");
    if (variants.length === 1 && variants[0] !== undefined) {
      return { ...effective(variants[0]), ...withoutKeys(schema, "anyOf"), nullable: true };
    }
  }
  return schema;
}

function withoutKeys(schema: Schema, key: string): Schema {
  const { [key]: _dropped, ...rest } = schema;
  return rest;
}

function types(schema: Schema): string[] {
  return Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type)];
}

function property(parent: Schema, name: string): Schema {
  const properties = (effective(parent).properties ?? {}) as Record<string, Schema>;
  const schema = properties[name];
  if (schema === undefined) throw new Error(`the spec has no property "${name}"`);
  return schema;
}

/** Checks an example value's type against the schema, then recurses into objects and arrays. */
function checkExample(schema: Schema, value: unknown, where: string): void {
  const resolved = effective(schema);
  if (Array.isArray(value)) {
    expect(types(resolved), where).toContain("array");
    for (const [index, item] of value.entries()) {
      checkExample(resolved.items as Schema, item, `${where}[${index}]`);
    }
  } else if (typeof value === "object" && value !== null) {
    expect(types(resolved), where).toContain("object");
    for (const [key, child] of Object.entries(value))
      checkExample(property(resolved, key), child, `${where}.${key}`);
  } else if (typeof value === "number") {
    expect(
      types(resolved).some((type) => type === "integer" || type === "number"),
      where,
    ).toBe(true);
  } else if (typeof value === "boolean") {
    expect(types(resolved), where).toContain("boolean");
  } else if (typeof value === "string") {
    expect(types(resolved), where).toContain("string");
    if (/^\d{4}-\d\d-\d\dT/.test(value)) expect(resolved.format, where).toBe("date-time");
    if (Array.isArray(resolved.enum)) expect(resolved.enum, where).toContain(value);
  }
}

const job = at("#/components/schemas/RlorTrainerJob");
const resume = at(
  "#/paths/~1v1~1accounts~1{account_id}~1rlorTrainerJobs~1{rlor_trainer_job_id}:resume/post",
);

describe.skipIf(!pageExists)("spec fidelity to the docs page", () => {
  const example = pageExists ? pageExample(pageLines) : {};
  const fields = pageExists ? pageFields(pageLines, new Set(Object.keys(example))) : [];

  it("finds every field of the example in the page's field list", () => {
    expect(fields.map((field) => field.name)).toEqual(Object.keys(example));
  });

  it("has every field of the JSON example, nested as the page nests it, with compatible types", () => {
    checkExample(job, example, "RlorTrainerJob");
  });

  it.each(fields.map((field) => [field.name, field] as const))(
    "documents %s as the page does",
    (name, field) => {
      const declared = property(job, name);
      const schema = effective(declared);
      const expectedType =
        { "string[]": "array", "enum<string>": "string" }[field.type] ?? field.type;
      expect(types(schema)).toContain(expectedType);
      if (field.type === "string[]") expect(types(schema.items as Schema)).toContain("string");
      if (field.format !== undefined) expect(schema.format).toBe(field.format);
      if (field.title !== undefined) expect(schema.title).toBe(field.title);
      if (field.defaultValue !== undefined) expect(schema.default).toBe(field.defaultValue);
      if (field.options.length > 0)
        expect(schema.enum).toEqual(expect.arrayContaining(field.options));
      if (field.description !== "") {
        const descriptions = [declared.description, schema.description].map((text) =>
          normalize(String(text ?? "")),
        );
        expect(
          descriptions.some((text) => text.includes(field.description)),
          `${name}: "${field.description}"`,
        ).toBe(true);
      }
    },
  );

  it("has the page's operation, path parameters, body, response and auth", () => {
    const url = /--url (https:\/\/[^/]+)(\S+)/.exec(pageText);
    expect(url?.[1]).toBe((spec.servers as { url: string }[])[0]?.url);
    expect(Object.keys(spec.paths as Schema)).toContain(url?.[2]);
    expect(pageText).toContain("--request POST");
    expect(resume.summary).toBe(pageLines.find((line) => line.startsWith("Resume ")));
    for (const name of ["account_id", "rlor_trainer_job_id"]) {
      const parameter = (resume.parameters as Schema[]).map(effective).find((p) => p.name === name);
      const index = pageLines.indexOf(name);
      expect(parameter?.in).toBe("path");
      expect(parameter?.required).toBe(true);
      expect(pageLines.slice(index + 1, index + 6)).toContain(parameter?.description);
    }
    const requestBody = effective(resume.requestBody as Schema);
    const bodySchema = effective(
      ((requestBody.content as Schema)["application/json"] as Schema).schema as Schema,
    );
    expect(pageText).toContain(`\n${String(bodySchema.description)}\n`);
    expect(pageText).toContain("--data '{}'");
    expect(bodySchema.type).toBe("object");
    expect(effective((resume.responses as Schema)["200"] as Schema).description).toBe(
      "A successful response.",
    );
    const auth = at("#/components/securitySchemes/BearerAuth");
    expect([auth.type, auth.scheme]).toEqual(["http", "bearer"]);
    expect(pageText).toContain(String(auth.description));
  });
});
