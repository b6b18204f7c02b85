// generated/names.ts: per resource pattern, its reference type, parse/format and the resolution
// of a reference to path parameters; per path parameter, the rules its schema gives.
import type { PathParameterModel } from "./read-operations.js";
import { camelCase, type PatternModel } from "./resource-names.js";
import { literal, propertyKey } from "./source-text.js";
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

/**
 * The constant holding each path parameter's rule, numbered once, in the order given. Parameters
 * of one name usually share a schema; where they do not, each variant gets a numbered constant.
 */
export class RuleNames {
  private readonly byContent = new Map<string, { name: string; parameter: PathParameterModel }>();

  constructor(parameters: readonly PathParameterModel[]) {
    const taken = new Set<string>();
    for (const parameter of parameters) {
      const key = JSON.stringify(parameter);
      if (this.byContent.has(key)) continue;
      const base = `${constantCase(parameter.name)}_RULE`;
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
      taken.add(name);
      this.byContent.set(key, { name, parameter });
    }
  }

  constantOf(parameter: PathParameterModel): string {
    const entry = this.byContent.get(JSON.stringify(parameter));
    if (entry === undefined)
      throw new Error(`No rule constant for path parameter ${parameter.name}`);
    return entry.name;
  }

  /** Each distinct parameter once, with its constant, in the order given. */
  entries(): [string, PathParameterModel][] {
    return [...this.byContent.values()].map(({ name, parameter }) => [name, parameter]);
  }
}

function ruleStatement(constant: string, parameter: PathParameterModel): string {
  const rule = {
    title: parameter.title,
    minLength: parameter.minLength,
    maxLength: parameter.maxLength,
    pattern: parameter.pattern,
    description: parameter.description,
    example: parameter.example,
  };
  const fields = Object.entries(rule).map(([key, value]) => `${key}: ${literal(value)}`);
  return `${docLine(`Rules of the \`${parameter.name}\` path parameter.`)}export const ${constant}: SegmentRule = { ${fields.join(", ")} };`;
}

/** A path parameter as the runtime's `PatternParameter`: its name, its camelCase key, its rule. */
export function segmentEntry(parameter: PathParameterModel, rules: RuleNames): string {
  return `{ name: ${literal(parameter.name)}, key: ${literal(camelCase(parameter.name))}, rule: ${rules.constantOf(parameter)} }`;
}

function patternStatements(pattern: PatternModel, rules: RuleNames): Statement[] {
  const name = pattern.typeName;
  const parts = `${name}Parts`;
  const constant = patternConstant(pattern);
  const variables = pattern.segments.filter((s): s is PathParameterModel => typeof s !== "string");
  const segments = pattern.segments.map((segment) =>
    typeof segment === "string" ? literal(segment) : segmentEntry(segment, rules),
  );
  const pathType = `{ ${variables.map((v) => `${propertyKey(v.name)}: string`).join("; ")} }`;
  const form = `\`${pattern.template}\``;
  return [
    `${docLine(form)}export const ${constant}: ResourcePattern = { title: ${literal(pattern.title)}, template: ${literal(pattern.template)}, segments: [${segments.join(", ")}] };`,
    `${docLine(`The parts of a ${pattern.title} name, ${form}.`)}export type ${parts} = { ${variables.map((v) => `${propertyKey(camelCase(v.name))}: string`).join("; ")} };`,
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
      parameters: [
        { name: "client", type: "PathDefaults" },
        { name: "ref", type: `${name}Ref | undefined` },
      ],
      returnType: pathType,
      statements: [`return resolveReference(client, ${constant}, ref) as ${pathType};`],
    },
  ] as Statement[];
}

/**
 * `parameters` are the path parameters of operations without a pattern: they need rules too.
 * Returns the module and the rule constants' names, which operations.ts imports.
 */
export function emitNames(patterns: readonly PatternModel[], rules: RuleNames): string {
  const patternStatementList = patterns.flatMap((p) => patternStatements(p, rules));
  return printModule([
    'import { formatName, parseName, type PathDefaults, type ResourcePattern, resolveReference, type SegmentRule } from "./runtime.js";',
    ...rules.entries().map(([constant, parameter]) => ruleStatement(constant, parameter)),
    ...patternStatementList,
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
  return printModule([
    'export * from "./operations.js";',
    `export { ${names.join(", ")} } from "./names.js";`,
    'export type { ApiClient, RequestOptions, RetryClass } from "./runtime.js";',
  ]);
}
