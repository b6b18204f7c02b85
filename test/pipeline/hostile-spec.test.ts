// A spec is data: whatever its strings say, generation either refuses naming where in the spec the
// string is, or emits code that type-checks and runs nothing the spec wrote.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import createClient from "openapi-fetch";
import type ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitModules, generate, main } from "../../scripts/generate.js";
import { writeFiles } from "../../scripts/pipeline/output-files.js";
import { PROJECT_ROOT } from "../../scripts/pipeline/project.js";
import { functionName, readOperations } from "../../scripts/pipeline/read-operations.js";
import { json, startFaultServer } from "../helpers/fault-server.js";
import { typeCheckProjects } from "../helpers/type-check.js";

const typescript = createRequire(import.meta.url)("typescript") as typeof ts;

/** What every injected fragment would do if it ever ran. */
const FLAG = "__hostileSpecRan";
const RUN = `globalThis.${FLAG} = true;`;
/** Ends a comment, a string of each quote, a template, a line; hides text; breaks a terminal. */
const PAYLOAD = `*/ ${RUN} /* " ${RUN} " ' ${RUN} ' \` ${RUN} \` \${${RUN}} \\" ${RUN} \u2028${RUN}\u2029 \r${RUN} \u202e\u2066 \u0000\u001b\u007f\u0085 */`;
/** The pager's items property: a key that is anything but an identifier. */
const ITEMS = `items"]; ${RUN} //`;
/** A path whose last segment is no collection, so it is only ever a string. */
const ODD_PATH = `/v1/accounts/{account_id}/things:stats*/\`\${${RUN}}\`"`;

type Json = Record<string, unknown>;

function hostileSpec(): Json {
  const account = {
    name: "account_id",
    in: "path",
    required: true,
    schema: { type: "string", title: PAYLOAD, description: PAYLOAD, examples: [PAYLOAD] },
  };
  const thing = {
    name: "thing.id",
    in: "path",
    required: true,
    description: PAYLOAD,
    schema: { type: "string", pattern: "^[a-z]+$", title: PAYLOAD, examples: [PAYLOAD] },
  };
  const query = (name: string, schema: Json) => ({
    name,
    in: "query",
    description: PAYLOAD,
    schema,
  });
  const ok = (schema: Json) => ({
    "200": { description: PAYLOAD, content: { "application/json": { schema } } },
  });
  return {
    openapi: "3.1.0",
    info: { title: PAYLOAD, version: "1", description: PAYLOAD },
    paths: {
      "/v1/accounts/{account_id}/things": {
        get: {
          operationId: "listThings",
          summary: PAYLOAD,
          description: PAYLOAD,
          parameters: [
            account,
            query("pageToken", { type: "string" }),
            query("pageSize", { type: "integer" }),
            query("filter-by", { type: "string", enum: [PAYLOAD, "plain"] }),
          ],
          responses: ok({
            type: "object",
            description: PAYLOAD,
            properties: {
              [ITEMS]: { type: "array", items: { $ref: "#/components/schemas/Thing" } },
              nextPageToken: { type: "string", description: PAYLOAD },
            },
          }),
        },
      },
      "/v1/accounts/{account_id}/things/{thing.id}": {
        get: {
          operationId: "getThing",
          summary: PAYLOAD,
          parameters: [account, thing],
          responses: ok({ $ref: "#/components/schemas/Thing" }),
        },
      },
      [ODD_PATH]: {
        get: {
          operationId: "getStats",
          summary: PAYLOAD,
          parameters: [account],
          responses: ok({ type: "object", additionalProperties: false }),
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: "object",
          description: PAYLOAD,
          properties: { state: { $ref: "#/components/schemas/ThingState" } },
        },
        ThingState: { type: "string", description: PAYLOAD, enum: [PAYLOAD, "B"] },
      },
    },
  };
}

let dir: string;
const at = (...parts: string[]) => join(dir, ...parts);
const ran = () => (globalThis as Record<string, unknown>)[FLAG];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlor-hostile-"));
  await writeFile(at("package.json"), '{ "type": "module" }\n');
  await symlink(join(PROJECT_ROOT, "node_modules"), at("node_modules"), "dir");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a spec full of hostile strings", () => {
  it("generates code that type-checks, keeps every string as data and runs none of it", async () => {
    // The spec's file name lands in every file's header comment: it may break a line too.
    const specPath = at(`hostile\n${RUN}\u2028${RUN}.json`);
    await writeFile(specPath, JSON.stringify(hostileSpec()));
    const files = await generate({ specPath, outDir: at("out"), lint: false });
    await writeFiles(files);
    await writeFile(
      at("tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          lib: ["ES2023", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          verbatimModuleSyntax: true,
          noUnusedLocals: true,
          noEmit: true,
          skipLibCheck: true,
        },
        include: ["out/*.ts"],
      }),
    );
    const [checked] = typeCheckProjects([at("tsconfig.json")]);
    expect(checked?.output).toBe("");

    const modules = await Promise.all(
      ["index", "names", "operation-table", "operations"].map(
        (name) => import(pathToFileURL(at("out", `${name}.ts`)).href) as Promise<Json>,
      ),
    );
    expect(ran()).toBeUndefined();
    const [, names, table, operations] = modules as [Json, Json, Json, Json];
    // The strings arrive intact, as values.
    const entries = table.OPERATIONS as { summary: string; path: string; items: string }[];
    expect(entries.map((e) => [e.summary, e.path])).toContainEqual([PAYLOAD, ODD_PATH]);
    expect(entries[0]?.items).toBe(ITEMS);
    expect(names.ACCOUNT_ID_RULE).toMatchObject({ title: PAYLOAD, example: PAYLOAD });
    expect(operations.THING_STATES).toEqual([PAYLOAD, "B"]);

    // The pager reads the odd items key; the options' odd member goes out as its query key.
    const server = await startFaultServer();
    try {
      server.script(
        json(200, { [ITEMS]: [{ state: "B" }], nextPageToken: "t2" }),
        json(200, { [ITEMS]: [{ state: PAYLOAD }] }),
        json(200, { state: "B" }),
      );
      const client = {
        fetchClient: createClient({ baseUrl: server.url }),
        pathDefault: () => "acct",
        pathDefaultHint: () => "pass an account",
      };
      const iterate = operations.iterateThings as (...args: unknown[]) => AsyncIterable<unknown>;
      const items: unknown[] = [];
      for await (const item of iterate(client, undefined, { "filter-by": "plain" }))
        items.push(item);
      expect(items).toEqual([{ state: "B" }, { state: PAYLOAD }]);
      const getThing = operations.getThing as (...args: unknown[]) => Promise<unknown>;
      await expect(getThing(client, { accountId: "a", "thing.id": "x" })).resolves.toEqual({
        state: "B",
      });
      expect(server.requests.map((r) => r.url)).toEqual([
        "/v1/accounts/acct/things?filter-by=plain",
        "/v1/accounts/acct/things?pageToken=t2&filter-by=plain",
        "/v1/accounts/a/things/x",
      ]);
    } finally {
      await server.close();
    }
    expect(ran()).toBeUndefined();
  });
});

/** One list operation on `path`, with `query` parameters: the smallest spec each case edits. */
function smallSpec(path = "/v1/things/{thing_id}", query: Json[] = []): Json {
  return {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {
      [path]: {
        get: {
          operationId: "getThing",
          summary: "Get a thing",
          parameters: [
            ...[...path.matchAll(/\{([^{}]+)\}/g)].map(([, name]) => ({
              name,
              in: "path",
              required: true,
              schema: { type: "string" },
            })),
            ...query,
          ],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
          },
        },
      },
    },
    components: {
      schemas: { Thing: { type: "object", properties: { name: { type: "string" } } } },
    },
  };
}

type Operation = { operationId: string; parameters: Json[] } & Json;
const operationOf = (spec: Json): Operation =>
  Object.values((spec.paths as Record<string, { get: Operation }>) ?? {})[0]?.get as Operation;

const refusals: [string, () => Json, string][] = [
  [
    "an operationId that is code",
    () => {
      const spec = smallSpec();
      operationOf(spec).operationId = `x() {} ${RUN} function y`;
      return spec;
    },
    "paths./v1/things/{thing_id}.get.operationId: ",
  ],
  [
    "an operationId that becomes a reserved word",
    () => {
      const spec = smallSpec();
      operationOf(spec).operationId = "Gateway_Delete";
      return spec;
    },
    'paths./v1/things/{thing_id}.get.operationId: it would name a generated declaration "delete"',
  ],
  [
    "a query parameter name that is code",
    () => smallSpec(undefined, [{ name: `a"] ${RUN}`, in: "query", schema: { type: "string" } }]),
    "paths./v1/things/{thing_id}.get.parameters[1].name: ",
  ],
  [
    "a path parameter name that is code, in a component",
    () => {
      const spec = smallSpec("/v1/things/{x}");
      const components = spec.components as Json;
      components.parameters = {
        Bad: { name: "x: string }; declare", in: "path", required: true, schema: {} },
      };
      operationOf(spec).parameters = [{ $ref: "#/components/parameters/Bad" }];
      return spec;
    },
    "components.parameters.Bad.name: ",
  ],
  [
    "a schema name that is code",
    () => {
      const spec = smallSpec();
      (spec.components as { schemas: Json }).schemas[`Thing = 1; ${RUN} type X`] = {
        type: "string",
      };
      return spec;
    },
    "components.schemas.Thing = 1; ",
  ],
  [
    "a collection that would name types",
    () => smallSpec("/v1/my-things/{thing_id}"),
    "paths./v1/my-things/{thing_id}: ",
  ],
  [
    "an x-retry-id-parameter that names no query parameter",
    () => {
      const spec = smallSpec();
      Object.assign(operationOf(spec), {
        "x-retry": "idempotent-with-id",
        "x-retry-id-parameter": "thingId",
      });
      return spec;
    },
    'paths./v1/things/{thing_id}.get.x-retry-id-parameter: "thingId" is not a query parameter',
  ],
  [
    "an invalid path parameter pattern",
    () => {
      const spec = smallSpec();
      Object.assign(operationOf(spec).parameters[0] ?? {}, { schema: { pattern: "[a-z" } });
      return spec;
    },
    'paths./v1/things/{thing_id}.get.parameters[0].schema.pattern: the pattern of parameter "thing_id" is not a valid regular expression',
  ],
  [
    // Valid without the `u` flag: the check compiles as the runtime does.
    "a pattern only the runtime's flags refuse",
    () => {
      const spec = smallSpec();
      const thing = (spec.components as { schemas: { Thing: { properties: Json } } }).schemas.Thing;
      thing.properties.name = { type: "string", pattern: "^\\-$" };
      return spec;
    },
    'components.schemas.Thing.properties.name.pattern: the pattern of schema "Thing" is not a valid regular expression',
  ],
];

describe("a spec with a name that is not a name, or a pattern that does not compile", () => {
  it.each(refusals)("refuses %s, naming its location, without lint", async (_, make, where) => {
    await mkdir(at("refused"), { recursive: true });
    const specPath = at("refused", "spec.json");
    await writeFile(specPath, JSON.stringify(make()));
    await expect(generate({ specPath, outDir: at("refused", "out"), lint: false })).rejects.toThrow(
      where,
    );
  });

  it("refuses from the command line with --skip-lint", async () => {
    const specPath = at("refused-cli.json");
    await writeFile(specPath, JSON.stringify(refusals[0]?.[1]()));
    const quiet = { log: () => {}, error: () => {} };
    await expect(
      main(["--skip-lint", "--spec", specPath, "--out", at("refused-cli")], quiet),
    ).rejects.toThrow("paths./v1/things/{thing_id}.get.operationId: ");
  });
});

/** The syntax errors of a module, and its top-level expressions: both must be none. */
function problemsOf(name: string, text: string): string[] {
  const { diagnostics = [] } = typescript.transpileModule(text, {
    reportDiagnostics: true,
    fileName: name,
    compilerOptions: { target: typescript.ScriptTarget.ES2022 },
  });
  const source = typescript.createSourceFile(name, text, typescript.ScriptTarget.ES2022);
  const running = source.statements.filter(typescript.isExpressionStatement);
  return [
    ...diagnostics.map(
      (d) => `${name}: ${typescript.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    ),
    ...running.map((s) => `${name}: runs ${s.getText(source).slice(0, 60)}`),
  ];
}

/** The syntax tree of each module as its node kinds, in order: what code there is, not its text. */
function shapeOf(modules: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(modules).map(([name, text]) => {
      const kinds: number[] = [];
      const visit = (node: ts.Node): void => {
        kinds.push(node.kind);
        typescript.forEachChild(node, visit);
      };
      visit(typescript.createSourceFile(name, text, typescript.ScriptTarget.ES2022));
      return [name, kinds.join(" ")];
    }),
  );
}

/** Every string literal value given to property `key` anywhere in `text`. */
function stringsAt(text: string, key: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      typescript.isPropertyAssignment(node) &&
      (typescript.isIdentifier(node.name) || typescript.isStringLiteral(node.name)) &&
      node.name.text === key &&
      typescript.isStringLiteral(node.initializer)
    )
      found.push(node.initializer.text);
    typescript.forEachChild(node, visit);
  };
  visit(typescript.createSourceFile("m.ts", text, typescript.ScriptTarget.ES2022));
  return found;
}

/** A character a parser or a reader should not meet raw in generated code (newlines aside). */
const RAW_INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Strings rich in what ends comments, strings and lines, beside arbitrary ones. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom("*/", "/*", "`", "${", '"', "'", "\\", "\u2028", "\u2029", "\u202e"),
      fc.constantFrom("\u0000", "\r", "\n\n", "\u0085", "\ud800", RUN, "}", "*", "/"),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

/** The modules emitted from a spec object, in memory (the stages before openapi-typescript). */
function emitted(spec: Json): Record<string, string> {
  return emitModules(readOperations(spec));
}

describe("every emitted module, for any spec string (property tests)", () => {
  it("keeps text as data: a summary, description, title or example changes no code and arrives intact", () => {
    const withText = (text: string): Record<string, string> => {
      const spec = smallSpec();
      const operation = operationOf(spec);
      Object.assign(operation, { summary: text, description: text });
      Object.assign(operation.parameters[0] ?? {}, {
        description: text,
        schema: { type: "string", title: text, description: text, examples: [text] },
      });
      (spec.components as { schemas: { Thing: Json } }).schemas.Thing.description = text;
      return emitted(spec);
    };
    const plain = shapeOf(withText("plain"));
    fc.assert(
      fc.property(hostileText, (text) => {
        const modules = withText(text);
        // The same code as for plain text: the text changed only literals and comments.
        expect(shapeOf(modules)).toEqual(plain);
        for (const source of Object.values(modules)) {
          expect(RAW_INVISIBLE.test(source.replaceAll("\n", ""))).toBe(false);
        }
        expect(stringsAt(modules["operation-table.ts"] ?? "", "summary")).toEqual([text]);
        expect(stringsAt(modules["names.ts"] ?? "", "example")).toEqual([text]);
      }),
      { numRuns: 60 },
    );
  });

  const names = fc.oneof(
    hostileText,
    fc.stringMatching(/^[A-Za-z_$][\w$.-]{0,6}$/),
    fc.constantFrom("delete", "__proto__", "client", "a-b", "a.b", "Gateway_Get", "x y"),
  );

  it("declares only what the spec names: an operationId becomes one function, or is refused", () => {
    fc.assert(
      fc.property(names, (id) => {
        const spec = smallSpec();
        operationOf(spec).operationId = id;
        let modules: Record<string, string>;
        try {
          modules = emitted(spec);
        } catch (error) {
          expect(String(error)).toContain("paths./v1/things/{thing_id}.get.operationId: ");
          return;
        }
        for (const [name, source] of Object.entries(modules))
          expect(problemsOf(name, source)).toEqual([]);
        expect(modules["operations.ts"]).toContain(`export async function ${functionName(id)}(`);
      }),
      { numRuns: 60 },
    );
  });

  it("quotes what is not an identifier: a path or query parameter name is a key, or is refused", () => {
    fc.assert(
      fc.property(names, fc.boolean(), (name, inPath) => {
        const spec = smallSpec(undefined, [{ name, in: "query", schema: { type: "string" } }]);
        if (inPath) {
          // Declared as written, even where the template would not read it back (a "}" in it).
          const operation = operationOf(spec);
          operation.parameters = [{ ...operation.parameters[0], name }];
          spec.paths = { [`/v1/things/{${name}}`]: { get: operation } };
        }
        let modules: Record<string, string>;
        try {
          modules = emitted(spec);
        } catch (error) {
          expect(String(error)).toMatch(
            /^Error: paths\.\/v1\/things\/\{[\s\S]*\}\.get\.parameters\[[01]\]\.name: /,
          );
          return;
        }
        for (const [module, source] of Object.entries(modules))
          expect(problemsOf(module, source)).toEqual([]);
        // The name arrives intact, where the runtime reads it: the rule's or the query's entry.
        const where = inPath ? "names.ts" : "operation-table.ts";
        expect(stringsAt(modules[where] ?? "", "name")).toContain(name);
      }),
      { numRuns: 60 },
    );
  });
});
