// generated/operations.ts: a named type per schema, a value list per string enum, and per
// operation one standalone function over openapi-fetch, the function the package exports.

import { constantCase } from "./emit-names.js";
import type {
  ApiModel,
  JsonBody,
  OperationModel,
  QueryParameterModel,
  SchemaModel,
} from "./read-operations.js";
import { type OperationResource, pascalCase, resourceOf } from "./resource-names.js";
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
    `${docLine(schema.description)}export type ${alias} = components["schemas"][${JSON.stringify(schema.name)}];`,
  ];
  if (schema.enumValues !== undefined) {
    statements.push(
      `${docLine(`Every value of \`${alias}\` the spec lists, in its order; the server may send others.`)}export const ${plural(constantCase(alias))} = ${JSON.stringify(schema.enumValues)} as const satisfies readonly ${alias}[];`,
    );
  }
  return statements;
}

interface Signature {
  resource: OperationResource;
  refName: string;
  /** A pattern of one variable (an account) may come from the client: the reference may be left out. */
  refOptional: boolean;
  optionsType: string;
  bodyType: string | undefined;
  resultType: string | undefined;
}

function bodyAlias(body: JsonBody, fallback: string): string {
  return body.schemaName === undefined ? fallback : aliasName(body.schemaName);
}

function signatureOf(operation: OperationModel): Signature {
  const resource = resourceOf(operation);
  const op = `operations[${JSON.stringify(operation.operationId)}]`;
  const body = operation.requestBody;
  const result = operation.result;
  const status = /^\d+$/.test(operation.successStatus)
    ? operation.successStatus
    : JSON.stringify(operation.successStatus);
  return {
    resource,
    refName: resource.onParent ? "parent" : lowerFirst(resource.pattern.typeName),
    refOptional: resource.pattern.segments.length === 2,
    optionsType:
      operation.queryParameters.length > 0
        ? `${pascalCase(operation.operationId)}Options`
        : "RequestOptions",
    bodyType:
      body === undefined || body.empty
        ? undefined
        : bodyAlias(body, `NonNullable<${op}["requestBody"]>["content"]["application/json"]`),
    resultType:
      result === undefined || result.empty
        ? undefined
        : bodyAlias(result, `${op}["responses"][${status}]["content"]["application/json"]`),
  };
}

function optionsInterface(operation: OperationModel, name: string): Statement {
  for (const parameter of operation.queryParameters) {
    if (parameter.required) {
      throw new Error(
        `Operation "${operation.operationId}": required query parameter "${parameter.name}" is not supported`,
      );
    }
  }
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name,
    extends: ["RequestOptions"],
    docs: docs(
      `Options of \`${operation.operationId}\`: its query parameters and the per-call options.`,
    ),
    properties: operation.queryParameters.map((parameter: QueryParameterModel) => ({
      name: parameter.name,
      hasQuestionToken: true,
      type: `${parameter.type} | undefined`,
      docs: docs(parameter.description),
    })),
  };
}

/** A create is idempotent only with the client-chosen id; without it, a retry could create twice. */
function retryExpression(operation: OperationModel): string {
  const id = operation.retryIdParameter;
  if (operation.retry !== "idempotent-with-id" || id === undefined)
    return JSON.stringify(operation.retry);
  return `options?.${id} === undefined ? "unsafe" : "idempotent-with-id"`;
}

function requestInit(operation: OperationModel, signature: Signature): string {
  const params = [
    "path",
    ...(operation.queryParameters.length > 0
      ? [
          `query: definedOnly({ ${operation.queryParameters.map((q) => `${q.name}: options?.${q.name}`).join(", ")} })`,
        ]
      : []),
  ];
  const fields = [`params: { ${params.join(", ")} }`];
  const body = operation.requestBody;
  if (body?.empty === true) fields.push("body: {}");
  else if (body !== undefined)
    fields.push(body.required ? "body" : "...(body === undefined ? {} : { body })");
  fields.push(
    `...callInit(${JSON.stringify(operation.operationId)}, ${retryExpression(operation)}, options)`,
  );
  const call = `client.fetchClient.${operation.method.toUpperCase()}(${JSON.stringify(operation.path)}, { ${fields.join(", ")} })`;
  const send = `resultOf(await ${call})`;
  return signature.resultType === undefined ? `${send};` : `return ${send};`;
}

function parameterList(signature: Signature, optionsOptional = true) {
  const { pattern } = signature.resource;
  const refType = `${pattern.typeName}Ref`;
  const body = signature.bodyType;
  return [
    { name: "client", type: "ApiClient<paths>" },
    signature.refOptional && body === undefined
      ? { name: signature.refName, type: refType, hasQuestionToken: true }
      : {
          name: signature.refName,
          type: signature.refOptional ? `${refType} | undefined` : refType,
        },
    ...(body === undefined ? [] : [{ name: "body", type: body }]),
    { name: "options", type: signature.optionsType, hasQuestionToken: optionsOptional },
  ];
}

function operationFunction(
  operation: OperationModel,
  signature: Signature,
): FunctionDeclarationStructure {
  const { pattern } = signature.resource;
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
      `const path = resolve${pattern.typeName}(client, ${signature.refName});`,
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
  const args = parameterList(signature).map((p) => p.name);
  const pageArgs = args.map((arg) => (arg === "options" ? "{ ...options, pageToken }" : arg));
  return {
    kind: StructureKind.Function,
    isExported: true,
    name,
    docs: docs(
      `Every item of \`${operation.operationId}\`, page after page: \`for await (const item of ${name}(…))\`. Each page is fetched when the loop reaches it; \`pageSize\` sets the page length, \`pageToken\` where to start.`,
    ),
    parameters: parameterList(signature),
    returnType: `AsyncGenerator<NonNullable<${signature.resultType}[${JSON.stringify(items)}]>[number], void, undefined>`,
    statements: [
      `return paginate(options?.pageToken, (pageToken) => ${operation.operationId}(${pageArgs.join(", ")}), (page) => page.${items});`,
    ],
  };
}

function operationStatements(operation: OperationModel): Statement[] {
  const signature = signatureOf(operation);
  const statements: Statement[] = [];
  if (signature.optionsType !== "RequestOptions")
    statements.push(optionsInterface(operation, signature.optionsType));
  statements.push(operationFunction(operation, signature));
  const iterator = iteratorFunction(operation, signature);
  if (iterator !== undefined) statements.push(iterator);
  return statements;
}

/** Imports only the names the text uses, so no generated import is ever unused. */
function importsFor(text: string, patterns: readonly string[]): string[] {
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(text);
  const runtimeTypes = ["ApiClient", "RequestOptions"].filter(uses);
  const runtimeValues = ["callInit", "definedOnly", "paginate", "resultOf"].filter(uses);
  const names = patterns.flatMap((p) => [`${p}Ref`, `resolve${p}`]).filter(uses);
  const schema = ["components", "operations", "paths"].filter(uses);
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

export function emitOperations(api: ApiModel): string {
  const declarations = [
    ...api.schemas.flatMap(schemaStatements),
    ...api.operations.flatMap(operationStatements),
  ];
  const body = printModule("operations.ts", declarations);
  const patterns = [...new Set(api.operations.map((op) => resourceOf(op).pattern.typeName))];
  return `${importsFor(body, patterns).join("\n")}\n\n${body}`;
}
