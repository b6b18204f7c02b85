// generated/operations.ts: a named type per schema, a value list per string enum, and per
// operation one standalone function over openapi-fetch, the function the package exports.

import { constantCase, patternConstant, type RuleNames, segmentEntry } from "./emit-names.js";
import type {
  ApiModel,
  JsonBody,
  OperationModel,
  QueryParameterModel,
  SchemaModel,
} from "./read-operations.js";
import {
  camelCase,
  type OperationResource,
  type PatternModel,
  pascalCase,
  type Resources,
  resourceOfOperation,
} from "./resource-names.js";
import { literal, memberAccess, propertyKey } from "./source-text.js";
import {
  docLine,
  docs,
  type FunctionDeclarationStructure,
  printModule,
  type Statement,
  StructureKind,
} from "./ts-source.js";

export function aliasName(schemaName: string): string {
  const words = schemaName.split(/[^A-Za-z0-9_$]+/).filter((word) => word !== "");
  const name = words.map(pascalCase).join("");
  return /^[A-Za-z_$]/.test(name) ? name : `Schema${name}`;
}

/** `options?.name`, or `options?.["a-b"]` for a name that is not an identifier. */
function optionMember(name: string): string {
  return memberAccess("options", name, "?.");
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function plural(name: string): string {
  if (name.endsWith("Y")) return `${name.slice(0, -1)}IES`;
  return name.endsWith("S") ? `${name}ES` : `${name}S`;
}

function schemaStatements(schema: SchemaModel): Statement[] {
  const alias = aliasName(schema.name);
  const statements: Statement[] = [
    `${docLine(schema.description)}export type ${alias} = components["schemas"][${literal(schema.name)}];`,
  ];
  if (schema.enumValues !== undefined) {
    statements.push(
      `${docLine(`Every value of \`${alias}\` the spec lists, in its order; the server may send others.`)}export const ${plural(constantCase(alias))} = ${literal(schema.enumValues)} as const satisfies readonly ${alias}[];`,
    );
  }
  return statements;
}

/** How an operation names what it acts on: a resource reference, its path parameters, or nothing. */
interface Target {
  /** The function parameter, or undefined when the path has no parameters. */
  parameter: { name: string; type: string; optional: boolean } | undefined;
  /** The expression that checks it and gives the path parameters. */
  resolve: string | undefined;
}

function targetOf(resource: OperationResource, rules: RuleNames): Target {
  const { pattern, parameters } = resource;
  if (pattern !== undefined) {
    return {
      parameter: {
        name: resource.onParent ? "parent" : lowerFirst(pattern.typeName),
        type: `${pattern.typeName}Ref`,
        // A pattern of one variable (an account) may come from the client: it may be left out.
        optional: pattern.segments.length === 2,
      },
      resolve: `resolve${pattern.typeName}(client, ${resource.onParent ? "parent" : lowerFirst(pattern.typeName)})`,
    };
  }
  if (parameters.length === 0) return { parameter: undefined, resolve: undefined };
  const entries = parameters.map((p) => segmentEntry(p, rules));
  const type = `{ ${parameters.map((p) => `${propertyKey(camelCase(p.name))}: string`).join("; ")} }`;
  return {
    parameter: { name: "pathParameters", type, optional: false },
    resolve: `resolveParameters([${entries.join(", ")}], pathParameters) as { ${parameters.map((p) => `${propertyKey(p.name)}: string`).join("; ")} }`,
  };
}

interface Signature {
  target: Target;
  /** The pattern constant of the resource the answer is, when it is that resource. */
  answerPattern: string | undefined;
  optionsType: string;
  optionsRequired: boolean;
  /** The body parameter's type; `optional` for a bare `{type: object}` body. */
  body: { type: string; optional: boolean } | undefined;
  resultType: string | undefined;
}

function bodyAlias(body: JsonBody, fallback: string): string {
  return body.schemaName === undefined ? fallback : aliasName(body.schemaName);
}

function signatureOf(
  operation: OperationModel,
  resource: OperationResource,
  rules: RuleNames,
): Signature {
  const op = `operations[${literal(operation.specOperationId)}]`;
  const body = operation.requestBody;
  const result = operation.result;
  const status = /^\d+$/.test(operation.successStatus)
    ? operation.successStatus
    : literal(operation.successStatus);
  const bodyType =
    body === undefined
      ? undefined
      : bodyAlias(body, `NonNullable<${op}["requestBody"]>["content"]["application/json"]`);
  return {
    target: targetOf(resource, rules),
    answerPattern:
      resource.returnsResource && resource.pattern !== undefined
        ? patternConstant(resource.pattern)
        : undefined,
    optionsRequired: operation.queryParameters.some((q) => q.required),
    optionsType:
      operation.queryParameters.length > 0
        ? `${pascalCase(operation.operationId)}Options`
        : "RequestOptions",
    // A closed empty body can only be `{}`: the function sends it. A bare object may be anything.
    body:
      body === undefined || bodyType === undefined || (body.empty && body.closed)
        ? undefined
        : { type: bodyType, optional: !body.required || body.empty },
    resultType:
      result === undefined || result.empty
        ? undefined
        : bodyAlias(result, `${op}["responses"][${status}]["content"]["application/json"]`),
  };
}

function optionsInterface(operation: OperationModel, name: string): Statement {
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name,
    extends: ["RequestOptions"],
    docs: docs(
      `Options of \`${operation.operationId}\`: its query parameters and the per-call options.`,
    ),
    properties: operation.queryParameters.map((parameter: QueryParameterModel) => ({
      name: propertyKey(parameter.name),
      hasQuestionToken: !parameter.required,
      type: parameter.required ? parameter.type : `${parameter.type} | undefined`,
      docs: docs(parameter.description),
    })),
  };
}

/** A create is idempotent only with the client-chosen id; without it, a retry could create twice. */
function retryExpression(operation: OperationModel): string {
  const id = operation.retryIdParameter;
  if (operation.retry !== "idempotent-with-id" || id === undefined) return literal(operation.retry);
  return `${optionMember(id)} === undefined ? "unsafe" : "idempotent-with-id"`;
}

/** Required query parameters as given; optional ones left out when undefined, not sent empty. */
function queryExpression(operation: OperationModel): string {
  const field = (q: QueryParameterModel) => `${literal(q.name)}: ${optionMember(q.name)}`;
  const required = operation.queryParameters.filter((q) => q.required).map(field);
  const optional = operation.queryParameters.filter((q) => !q.required).map(field);
  const rest = optional.length > 0 ? [`...definedOnly({ ${optional.join(", ")} })`] : [];
  return required.length > 0
    ? `{ ${[...required, ...rest].join(", ")} }`
    : `definedOnly({ ${optional.join(", ")} })`;
}

/** The body callInit passes on: the caller's, or `{}` where the operation's body has no fields. */
function bodyArgument(operation: OperationModel, signature: Signature): string[] {
  if (signature.body !== undefined) return [signature.body.optional ? "body ?? {}" : "body"];
  return operation.requestBody === undefined ? [] : ["{}"];
}

function requestInit(operation: OperationModel, signature: Signature): string {
  const params = [
    ...(signature.target.resolve === undefined ? [] : ["path"]),
    ...(operation.queryParameters.length > 0 ? [`query: ${queryExpression(operation)}`] : []),
  ];
  const fields = params.length > 0 ? [`params: { ${params.join(", ")} }`] : [];
  const args = [
    literal(operation.operationId),
    retryExpression(operation),
    "options",
    ...bodyArgument(operation, signature),
  ];
  const init = `callInit(${args.join(", ")})`;
  fields.push(
    signature.answerPattern === undefined
      ? `...${init}`
      : `...expectingResource(${signature.answerPattern}, path, ${init})`,
  );
  const call = `client.fetchClient.${operation.method.toUpperCase()}(${literal(operation.path)}, { ${fields.join(", ")} })`;
  const send = `resultOf(await ${call})`;
  return signature.resultType === undefined ? `${send};` : `return ${send};`;
}

function parameterList(signature: Signature) {
  const { parameter } = signature.target;
  const body = signature.body;
  // An optional parameter may not come before a required one.
  const laterRequired = (body !== undefined && !body.optional) || signature.optionsRequired;
  return [
    { name: "client", type: "ApiClient<paths>" },
    ...(parameter === undefined
      ? []
      : [
          parameter.optional && !laterRequired
            ? { name: parameter.name, type: parameter.type, hasQuestionToken: true }
            : {
                name: parameter.name,
                type: parameter.optional ? `${parameter.type} | undefined` : parameter.type,
              },
        ]),
    ...(body === undefined
      ? []
      : [{ name: "body", type: body.type, hasQuestionToken: body.optional }]),
    // Required query parameters make the options themselves required.
    { name: "options", type: signature.optionsType, hasQuestionToken: !signature.optionsRequired },
  ];
}

function operationFunction(
  operation: OperationModel,
  signature: Signature,
): FunctionDeclarationStructure {
  const resolve = signature.target.resolve;
  return {
    kind: StructureKind.Function,
    isExported: true,
    isAsync: true,
    name: operation.operationId,
    docs: docs(
      operation.summary,
      operation.description,
      `\`${operation.method.toUpperCase()} ${operation.path}\``,
    ),
    parameters: parameterList(signature),
    returnType: `Promise<${signature.resultType ?? "void"}>`,
    statements: [
      ...(resolve === undefined ? [] : [`const path = ${resolve};`]),
      requestInit(operation, signature),
    ],
  };
}

/** For a paged list (an answer with `nextPageToken` and one array): an iterator over every item. */
function iteratorFunction(
  operation: OperationModel,
  signature: Signature,
): FunctionDeclarationStructure | undefined {
  const result = operation.result;
  const items = result?.arrays[0];
  if (result === undefined || !result.paged || result.arrays.length !== 1 || items === undefined)
    return undefined;
  if (
    !operation.queryParameters.some((q) => q.name === "pageToken") ||
    signature.resultType === undefined
  )
    return undefined;
  const name = operation.operationId.startsWith("list")
    ? `iterate${operation.operationId.slice("list".length)}`
    : `iterate${pascalCase(operation.operationId)}`;
  const parameters = parameterList(signature);
  const pageArgs = parameters.map((p) =>
    p.name === "options" ? "{ ...options, pageToken }" : p.name,
  );
  return {
    kind: StructureKind.Function,
    isExported: true,
    name,
    docs: docs(
      `Every item of \`${operation.operationId}\`, page after page: \`for await (const item of ${name}(…))\`. Each page is fetched when the loop reaches it; \`pageSize\` sets the page length, \`pageToken\` where to start.`,
    ),
    parameters,
    returnType: `AsyncGenerator<NonNullable<${signature.resultType}[${literal(items)}]>[number], void, undefined>`,
    statements: [
      `return paginate(options?.pageToken, (pageToken) => ${operation.operationId}(${pageArgs.join(", ")}), (page) => ${memberAccess("page", items)});`,
    ],
  };
}

function operationStatements(
  operation: OperationModel,
  resource: OperationResource,
  rules: RuleNames,
): Statement[] {
  const signature = signatureOf(operation, resource, rules);
  const statements: Statement[] = [];
  if (signature.optionsType !== "RequestOptions")
    statements.push(optionsInterface(operation, signature.optionsType));
  statements.push(operationFunction(operation, signature));
  const iterator = iteratorFunction(operation, signature);
  if (iterator !== undefined) statements.push(iterator);
  return statements;
}

const RUNTIME_TYPES = ["ApiClient", "RequestOptions"];
const RUNTIME_VALUES = [
  "callInit",
  "definedOnly",
  "expectingResource",
  "paginate",
  "resolveParameters",
  "resultOf",
];
const SCHEMA_TYPES = ["components", "operations", "paths"];

/** What operations.ts may import from names.ts. */
function nameImports(patterns: readonly PatternModel[], rules: RuleNames): string[] {
  return [
    ...patterns.flatMap((p) => [`${p.typeName}Ref`, `resolve${p.typeName}`, patternConstant(p)]),
    ...rules.entries().map(([constant]) => constant),
  ];
}

/**
 * Two exports of one name would not compile, or worse, one would shadow the other, as would an
 * export named like an import: fail loudly.
 */
function assertUniqueNames(text: string, imports: readonly string[]): void {
  const seen = new Set<string>(imports);
  for (const [, name] of text.matchAll(
    /^export (?:async )?(?:function|const|type|interface) (\w+)/gm,
  )) {
    if (name === undefined) continue;
    if (seen.has(name))
      throw new Error(
        `Two generated declarations, or a declaration and an import, are named ${name}`,
      );
    seen.add(name);
  }
}

/** Imports only the names the text uses, so no generated import is ever unused. */
function importsFor(text: string, patterns: readonly PatternModel[], rules: RuleNames): string[] {
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(text);
  const runtimeTypes = RUNTIME_TYPES.filter(uses);
  const runtimeValues = RUNTIME_VALUES.filter(uses);
  const names = nameImports(patterns, rules).filter(uses);
  const schema = SCHEMA_TYPES.filter(uses);
  const lines = [
    `import { ${[...runtimeTypes.map((n) => `type ${n}`), ...runtimeValues].join(", ")} } from "./runtime.js";`,
  ];
  if (names.length > 0) {
    lines.push(
      `import { ${names.map((n) => (n.endsWith("Ref") ? `type ${n}` : n)).join(", ")} } from "./names.js";`,
    );
  }
  if (schema.length > 0) lines.push(`import type { ${schema.join(", ")} } from "./schema.js";`);
  return lines;
}

export function emitOperations(api: ApiModel, resources: Resources, rules: RuleNames): string {
  const declarations = [
    ...api.schemas.flatMap(schemaStatements),
    ...api.operations.flatMap((operation) =>
      operationStatements(operation, resourceOfOperation(resources, operation.operationId), rules),
    ),
  ];
  const body = printModule(declarations);
  const patterns = resources.patterns;
  assertUniqueNames(body, [
    ...RUNTIME_TYPES,
    ...RUNTIME_VALUES,
    ...SCHEMA_TYPES,
    ...nameImports(patterns, rules),
  ]);
  return `${importsFor(body, patterns, rules).join("\n")}\n\n${body}`;
}
