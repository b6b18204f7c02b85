// Stage 3: the typed operation functions over openapi-fetch, built with ts-morph from structures.
// Text in, text out: no node of ts-morph's own TypeScript ever leaves this module.
import {
  type ClassDeclarationStructure,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  IndentationText,
  type InterfaceDeclarationStructure,
  NewLineKind,
  type OptionalKind,
  Project,
  type PropertySignatureStructure,
  QuoteKind,
  StructureKind,
  type TypeAliasDeclarationStructure,
} from "ts-morph";
import type { ApiModel, JsonBody, OperationModel, SchemaModel } from "./read-operations.js";

type Statement =
  | ImportDeclarationStructure
  | TypeAliasDeclarationStructure
  | InterfaceDeclarationStructure
  | ClassDeclarationStructure
  | FunctionDeclarationStructure;

const OPTIONS_TYPE = "OperationOptions";
const OPTIONS_HELPER = "requestOptions";
const ERROR_CLASS = "UnexpectedResponseError";
const JSON_CONTENT = '["content"]["application/json"]';

/** Escapes text for a JSDoc block; ts-morph adds the ` * ` prefixes. */
function docs(...parts: (string | undefined)[]): { description: string }[] {
  const text = parts
    .filter((part): part is string => part !== undefined && part.trim() !== "")
    .map((part) => part.trim().replaceAll("*/", "*\\/"))
    .join("\n\n");
  return text === "" ? [] : [{ description: text }];
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function aliasName(schemaName: string): string {
  const words = schemaName.split(/[^A-Za-z0-9_$]+/).filter((word) => word !== "");
  const name = words.map(pascalCase).join("");
  return /^[A-Za-z_$]/.test(name) ? name : `Schema${name}`;
}

function operationType(operation: OperationModel): string {
  return `operations[${JSON.stringify(operation.operationId)}]`;
}

function statusIndex(status: string): string {
  return /^\d+$/.test(status) ? status : JSON.stringify(status);
}

function bodyType(body: JsonBody, fallback: string, aliases: ReadonlyMap<string, string>): string {
  const alias = body.schemaName === undefined ? undefined : aliases.get(body.schemaName);
  return alias ?? fallback;
}

function schemaAliases(schemas: readonly SchemaModel[]): TypeAliasDeclarationStructure[] {
  return schemas.map((schema) => ({
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: aliasName(schema.name),
    type: `components["schemas"][${JSON.stringify(schema.name)}]`,
    docs: docs(schema.description),
  }));
}

const optionsInterface: InterfaceDeclarationStructure = {
  kind: StructureKind.Interface,
  isExported: true,
  name: OPTIONS_TYPE,
  docs: docs("Per-call options, passed through to the openapi-fetch client."),
  properties: [
    { name: "signal", hasQuestionToken: true, type: "AbortSignal | undefined" },
    { name: "headers", hasQuestionToken: true, type: "Record<string, string> | undefined" },
    {
      name: "fetch",
      hasQuestionToken: true,
      type: "((input: Request) => Promise<Response>) | undefined",
      docs: docs("Replaces the client's fetch for this call."),
    },
  ],
};

const OPTION_NAMES = (optionsInterface.properties ?? []).map((property) => property.name);

// openapi-fetch's option types reject an explicit `undefined` under exactOptionalPropertyTypes, while
// callers naturally pass `{ signal: maybeSignal }`: drop the undefined ones.
const optionsHelper: FunctionDeclarationStructure = {
  kind: StructureKind.Function,
  name: OPTIONS_HELPER,
  parameters: [{ name: "options", type: OPTIONS_TYPE, initializer: "{}" }],
  returnType: `{ [K in keyof ${OPTIONS_TYPE}]?: Exclude<${OPTIONS_TYPE}[K], undefined> }`,
  statements: [
    `const { ${OPTION_NAMES.join(", ")} } = options;`,
    `return { ${OPTION_NAMES.map((name) => `...(${name} === undefined ? {} : { ${name} })`).join(", ")} };`,
  ],
};

const errorClass: ClassDeclarationStructure = {
  kind: StructureKind.Class,
  isExported: true,
  name: ERROR_CLASS,
  extends: "Error",
  docs: docs(
    "Thrown when the client returns a response that is not a success with a body.",
    "The project's own client rejects every non-2xx response itself; this covers any other openapi-fetch client.",
  ),
  properties: [
    { name: "response", isReadonly: true, type: "Response" },
    {
      name: "body",
      isReadonly: true,
      type: "unknown",
      docs: docs("The parsed error body, if any."),
    },
  ],
  ctors: [
    {
      parameters: [
        { name: "response", type: "Response" },
        { name: "body", type: "unknown" },
      ],
      statements: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: generated source text, not a template
        "super(`Unexpected response: HTTP ${response.status} ${response.statusText}`.trimEnd());",
        `this.name = "${ERROR_CLASS}";`,
        "this.response = response;",
        "this.body = body;",
      ],
    },
  ],
};

function paramsProperties(
  operation: OperationModel,
  aliases: ReadonlyMap<string, string>,
): OptionalKind<PropertySignatureStructure>[] {
  const op = operationType(operation);
  const properties: OptionalKind<PropertySignatureStructure>[] = operation.parameterGroups.map(
    (group) => ({
      name: group.location,
      hasQuestionToken: !group.required,
      type: group.required
        ? `${op}["parameters"]["${group.location}"]`
        : `NonNullable<${op}["parameters"]["${group.location}"]>`,
    }),
  );
  const body = operation.requestBody;
  if (body !== undefined) {
    properties.push({
      name: "body",
      hasQuestionToken: !body.required,
      type: bodyType(body, `NonNullable<${op}["requestBody"]>${JSON_CONTENT}`, aliases),
    });
  }
  return properties;
}

function callStatements(operation: OperationModel, hasParams: boolean): string[] {
  const body = operation.requestBody;
  const init: string[] = [];
  const statements: string[] = [];
  if (body !== undefined) {
    const rest = operation.parameterGroups.length > 0 ? ", ...parameters" : "";
    statements.push(`const { body${rest} } = params;`);
    if (rest !== "") init.push("params: parameters");
    // An optional body must be left out, not sent as `undefined` (exactOptionalPropertyTypes).
    init.push(body.required ? "body" : "...(body === undefined ? {} : { body })");
  } else if (hasParams) {
    init.push("params");
  }
  init.push(`...${OPTIONS_HELPER}(options)`);
  const method = operation.method.toUpperCase();
  // `data` of an operation without a result is never read, and would fail `noUnusedLocals`.
  const results = operation.result === undefined ? "error, response" : "data, error, response";
  statements.push(
    `const { ${results} } = await client.${method}(${JSON.stringify(operation.path)}, { ${init.join(", ")} });`,
  );
  return statements;
}

function resultStatements(operation: OperationModel): string[] {
  if (operation.result === undefined) {
    return [`if (!response.ok) {\n  throw new ${ERROR_CLASS}(response, error);\n}`];
  }
  // A 2xx without a body is unexpected too: the declared result promises one.
  return [
    `if (!response.ok || data === undefined) {\n  throw new ${ERROR_CLASS}(response, error);\n}\nreturn data;`,
  ];
}

function operationStatements(
  operation: OperationModel,
  aliases: ReadonlyMap<string, string>,
): Statement[] {
  const properties = paramsProperties(operation, aliases);
  const hasParams = properties.length > 0;
  const paramsName = `${pascalCase(operation.operationId)}Params`;
  const op = operationType(operation);
  const result =
    operation.result === undefined
      ? "void"
      : bodyType(
          operation.result,
          `${op}["responses"][${statusIndex(operation.successStatus)}]${JSON_CONTENT}`,
          aliases,
        );
  const statements: Statement[] = [];
  if (hasParams) {
    statements.push({
      kind: StructureKind.Interface,
      isExported: true,
      name: paramsName,
      properties,
    });
  }
  statements.push({
    kind: StructureKind.Function,
    isExported: true,
    isAsync: true,
    name: operation.operationId,
    docs: docs(
      operation.summary,
      operation.description,
      `\`${operation.method.toUpperCase()} ${operation.path}\``,
    ),
    parameters: [
      { name: "client", type: "Client<paths>" },
      ...(hasParams ? [{ name: "params", type: paramsName }] : []),
      { name: "options", type: OPTIONS_TYPE, hasQuestionToken: true },
    ],
    returnType: `Promise<${result}>`,
    statements: [...callStatements(operation, hasParams), ...resultStatements(operation)],
  });
  return statements;
}

function assertUniqueNames(statements: readonly Statement[]): void {
  const seen = new Set<string>();
  for (const statement of statements) {
    if (statement.kind === StructureKind.ImportDeclaration || statement.name === undefined)
      continue;
    if (seen.has(statement.name))
      throw new Error(`Two generated declarations are named "${statement.name}"`);
    seen.add(statement.name);
  }
}

/** Imports only the names the declarations use as types, so no generated import is ever unused. */
function importsFor(declarationsText: string): ImportDeclarationStructure[] {
  const schemaNames = ["components", "operations", "paths"].filter((name) =>
    new RegExp(`\\b${name}\\[|<${name}>`).test(declarationsText),
  );
  return [
    ...(/\bClient</.test(declarationsText)
      ? [{ namedImports: ["Client"], moduleSpecifier: "openapi-fetch" }]
      : []),
    ...(schemaNames.length > 0
      ? [{ namedImports: schemaNames, moduleSpecifier: "./schema.js" }]
      : []),
  ].map((declaration) => ({
    kind: StructureKind.ImportDeclaration,
    isTypeOnly: true,
    ...declaration,
  }));
}

/** Returns the formatted source of `operations.ts` (no header) for every operation and schema of `api`. */
export function generateWrapper(api: ApiModel): string {
  const aliases = new Map(api.schemas.map((schema) => [schema.name, aliasName(schema.name)]));
  const declarations: Statement[] = [
    ...schemaAliases(api.schemas),
    optionsInterface,
    optionsHelper,
    errorClass,
    ...api.operations.flatMap((operation) => operationStatements(operation, aliases)),
  ];
  assertUniqueNames(declarations);
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: true,
    },
  });
  const file = project.createSourceFile("operations.ts", { statements: declarations });
  file.insertImportDeclarations(0, importsFor(file.getFullText()));
  file.formatText({
    indentSize: 2,
    convertTabsToSpaces: true,
    newLineCharacter: "\n",
    ensureNewLineAtEndOfFile: true,
  });
  return `${file.getFullText().trimEnd()}\n`;
}
