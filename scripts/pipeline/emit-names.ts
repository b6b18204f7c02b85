// generated/names.ts: per resource pattern, its reference type, parse/format and the resolution
// of a reference to path parameters; per path parameter, the rules its schema gives.
import type { PathParameterModel } from "./read-operations.js";
import { camelCase, type PatternModel } from "./resource-names.js";
import { docLine, docs, printModule, type Statement, StructureKind } from "./ts-source.js";

export function constantCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

export function patternConstant(pattern: PatternModel): string {
  return `${constantCase(pattern.typeName)}_PATTERN`;
}

function ruleConstant(parameter: PathParameterModel): string {
  return `${constantCase(parameter.name)}_RULE`;
}

function ruleStatement(parameter: PathParameterModel): string {
  const rule = {
    title: parameter.title,
    minLength: parameter.minLength,
    maxLength: parameter.maxLength,
    pattern: parameter.pattern,
    description: parameter.description,
    example: parameter.example,
  };
  const fields = Object.entries(rule).map(
    ([key, value]) => `${key}: ${value === undefined ? "undefined" : JSON.stringify(value)}`,
  );
  return `${docLine(`Rules of the \`${parameter.name}\` path parameter.`)}export const ${ruleConstant(parameter)}: SegmentRule = { ${fields.join(", ")} };`;
}

function patternStatements(pattern: PatternModel): Statement[] {
  const name = pattern.typeName;
  const parts = `${name}Parts`;
  const constant = patternConstant(pattern);
  const variables = pattern.segments.filter((s): s is PathParameterModel => typeof s !== "string");
  const segments = pattern.segments.map((segment) =>
    typeof segment === "string"
      ? JSON.stringify(segment)
      : `{ name: ${JSON.stringify(segment.name)}, key: ${JSON.stringify(camelCase(segment.name))}, rule: ${ruleConstant(segment)} }`,
  );
  const pathType = `{ ${variables.map((v) => `${v.name}: string`).join("; ")} }`;
  const form = `\`${pattern.template}\``;
  return [
    `${docLine(form)}export const ${constant}: ResourcePattern = { title: ${JSON.stringify(pattern.title)}, template: ${JSON.stringify(pattern.template)}, segments: [${segments.join(", ")}] };`,
    `${docLine(`The parts of a ${pattern.title} name, ${form}.`)}export type ${parts} = { ${variables.map((v) => `${camelCase(v.name)}: string`).join("; ")} };`,
    `${docLine(`A ${pattern.title}: its full name ${form}, its bare id (the rest then comes from the client), or its parts.`)}export type ${name}Ref = string | ${parts};`,
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `parse${name}Name`,
      docs: docs(`Parses ${form}; throws \`InvalidArgumentError\` on anything else.`),
      parameters: [{ name: "name", type: "string" }],
      returnType: parts,
      statements: [`return parseName<${parts}>(${constant}, name);`],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `format${name}Name`,
      docs: docs(`Formats ${form}; throws \`InvalidArgumentError\` on an invalid part.`),
      parameters: [{ name: "parts", type: parts }],
      returnType: "string",
      statements: [`return formatName(${constant}, parts);`],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `resolve${name}`,
      docs: docs(
        `The path parameters a ${pattern.title} reference names, checked before anything is sent.`,
      ),
      typeParameters: ["Paths extends {}"],
      parameters: [
        { name: "client", type: "ApiClient<Paths>" },
        { name: "ref", type: `${name}Ref | undefined` },
      ],
      returnType: pathType,
      statements: [`return resolveReference(client, ${constant}, ref) as ${pathType};`],
    },
  ] as Statement[];
}

/** Every pattern once, in first-use order; two patterns with one type name fail loudly. */
export function uniquePatterns(patterns: readonly PatternModel[]): PatternModel[] {
  const byName = new Map<string, PatternModel>();
  for (const pattern of patterns) {
    const seen = byName.get(pattern.typeName);
    if (seen !== undefined && seen.template !== pattern.template) {
      throw new Error(
        `Two resource patterns would both be named ${pattern.typeName}: ${seen.template} and ${pattern.template}`,
      );
    }
    byName.set(pattern.typeName, seen ?? pattern);
  }
  return [...byName.values()];
}

function uniqueParameters(patterns: readonly PatternModel[]): PathParameterModel[] {
  const byName = new Map<string, PathParameterModel>();
  for (const parameter of patterns.flatMap((p) => p.segments)) {
    if (typeof parameter === "string") continue;
    const seen = byName.get(parameter.name);
    if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(parameter)) {
      throw new Error(
        `Path parameter "${parameter.name}" has different schemas in different operations`,
      );
    }
    byName.set(parameter.name, parameter);
  }
  return [...byName.values()];
}

export function emitNames(patterns: readonly PatternModel[]): string {
  return printModule("names.ts", [
    'import { type ApiClient, formatName, parseName, type ResourcePattern, resolveReference, type SegmentRule } from "./runtime.js";',
    ...uniqueParameters(patterns).map(ruleStatement),
    ...patterns.flatMap(patternStatements),
  ]);
}

/** generated/index.ts: what the package exports of the generated code. */
export function emitIndex(patterns: readonly PatternModel[]): string {
  const names = patterns.flatMap((p) => [
    `type ${p.typeName}Parts`,
    `type ${p.typeName}Ref`,
    `format${p.typeName}Name`,
    `parse${p.typeName}Name`,
  ]);
  return printModule("index.ts", [
    'export * from "./operations.js";',
    `export { ${names.join(", ")} } from "./names.js";`,
    'export type { ApiClient, RequestOptions, RetryClass } from "./runtime.js";',
  ]);
}
