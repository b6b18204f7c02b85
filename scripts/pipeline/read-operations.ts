// Stage 2: reads what the generator needs out of the (already linted) OpenAPI document, as plain
// data. Everything an operation needs comes from the spec: its path, parameters and their rules,
// its bodies, and its retry class (`x-retry`).
import {
  deref,
  HTTP_METHODS,
  isObject,
  type JsonObject,
  list,
  optionalString,
  pointerKeys,
} from "./json-document.js";
import { literal } from "./source-text.js";
import {
  COMPONENT_NAME,
  checkIdentifier,
  checkName,
  OPERATION_ID,
  PARAMETER_NAME,
} from "./spec-names.js";
import { checkPatterns } from "./spec-patterns.js";

export type RetryClass = "safe" | "idempotent" | "idempotent-with-id" | "unsafe";
const RETRY_CLASSES: readonly string[] = ["safe", "idempotent", "idempotent-with-id", "unsafe"];

export interface PathParameterModel {
  name: string;
  /** What the value is, for messages ("RLOR trainer job id"): the schema's `title`. */
  title: string;
  minLength: number;
  maxLength: number;
  pattern: string | undefined;
  /** The rule in words: the schema's `description`. */
  description: string | undefined;
  example: string | undefined;
}

export interface QueryParameterModel {
  name: string;
  required: boolean;
  description: string | undefined;
  /** The TypeScript type of the value. */
  type: string;
}

export interface JsonBody {
  required: boolean;
  /** Component schema name when the body is a plain `$ref` to one, so the alias can be used. */
  schemaName: string | undefined;
  /** An object schema without properties (`{}` on the wire, or any object unless `closed`). */
  empty: boolean;
  /** `additionalProperties: false`: `{}` is the only value. */
  closed: boolean;
  /** Whether an object schema has a string `name` property (an AIP-122 resource has one). */
  named: boolean;
  /** Array-valued properties of an object schema, and whether it has `nextPageToken`. */
  arrays: string[];
  paged: boolean;
}

export interface OperationModel {
  /** The function name (see `functionName`). */
  operationId: string;
  /** The operationId as the spec spells it, as openapi-typescript keys its `operations` type. */
  specOperationId: string;
  method: HttpMethod;
  path: string;
  summary: string | undefined;
  description: string | undefined;
  pathParameters: PathParameterModel[];
  queryParameters: QueryParameterModel[];
  requestBody: JsonBody | undefined;
  /** The success status whose JSON body is the result, as openapi-typescript keys it. */
  successStatus: string;
  result: JsonBody | undefined;
  retry: RetryClass;
  /** For `idempotent-with-id`: the query parameter that carries the client-chosen id. */
  retryIdParameter: string | undefined;
}

export interface SchemaModel {
  name: string;
  description: string | undefined;
  /** String enum values, when the schema is one. */
  enumValues: string[] | undefined;
}

/** An operation the generator cannot express, and why: it is left out, and listed. */
export interface SkippedOperation {
  method: HttpMethod;
  path: string;
  operationId: string;
  reason: string;
}

export interface ApiModel {
  schemas: SchemaModel[];
  operations: OperationModel[];
  skipped: SkippedOperation[];
}

/** A spec construct the generated functions cannot express: the operation is skipped, not failed. */
class Unsupported extends Error {}

export type HttpMethod = (typeof HTTP_METHODS)[number];

const JSON_MEDIA_TYPE = "application/json";
const SCHEMA_REF_PREFIX = "#/components/schemas/";

/** Where `raw` is: the component a `$ref` names (`components.parameters.AccountId`), or `where`. */
function locationOf(raw: unknown, where: string): string {
  const ref = isObject(raw) ? optionalString(raw.$ref) : undefined;
  return ref === undefined ? where : pointerKeys(ref).join(".");
}

/** `paths.<path>`, the spec location of a path item (and, `.<method>` added, of its operation). */
function pathLocation(path: string): string {
  return `paths.${path}`;
}

function parametersOf(
  document: JsonObject,
  pathItem: JsonObject,
  operation: JsonObject,
  operationAt: { path: string; method: HttpMethod },
) {
  // Operation-level parameters override path-level ones with the same name and location.
  const byKey = new Map<string, JsonObject>();
  const sources = [
    { list: list(pathItem.parameters), at: pathLocation(operationAt.path) },
    {
      list: list(operation.parameters),
      at: `${pathLocation(operationAt.path)}.${operationAt.method}`,
    },
  ];
  for (const source of sources) {
    for (const [i, raw] of source.list.entries()) {
      const parameter = deref(document, raw);
      const at = locationOf(raw, `${source.at}.parameters[${i}]`);
      checkName(String(parameter.name), PARAMETER_NAME, `${at}.name`);
      byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
    }
  }
  return [...byKey.values()];
}

function readPathParameter(document: JsonObject, parameter: JsonObject): PathParameterModel {
  const name = String(parameter.name);
  const schema = deref(document, parameter.schema);
  const examples = list(schema.examples);
  return {
    name,
    title: optionalString(schema.title) ?? name.replaceAll("_", " "),
    minLength: typeof schema.minLength === "number" ? Math.max(1, schema.minLength) : 1,
    maxLength: typeof schema.maxLength === "number" ? schema.maxLength : Number.MAX_SAFE_INTEGER,
    pattern: optionalString(schema.pattern),
    description: optionalString(schema.description),
    example: optionalString(examples[0]) ?? optionalString(parameter.example),
  };
}

/** The TypeScript type of a query parameter's schema: scalars, string enums and arrays of them. */
function valueType(document: JsonObject, raw: unknown, where: string): string {
  const schema = deref(document, raw);
  // `anyOf: [{type: string}, {type: "null"}]`: a query parameter is absent rather than null.
  const variants = list(schema.anyOf)
    .map((v) => deref(document, v))
    .filter((v) => v.type !== "null");
  if (variants.length === 1) return valueType(document, variants[0], where);
  const values = list(schema.enum);
  if (values.length > 0) return values.map(literal).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return `(${valueType(document, schema.items, where)})[]`;
    default:
      throw new Error(
        `${where}: query parameters of type ${JSON.stringify(schema.type)} are not supported`,
      );
  }
}

function readQueryParameter(
  document: JsonObject,
  parameter: JsonObject,
  operationId: string,
): QueryParameterModel {
  const name = String(parameter.name);
  return {
    name,
    required: parameter.required === true,
    description: optionalString(parameter.description),
    type: valueType(document, parameter.schema, `${operationId} query parameter "${name}"`),
  };
}

function readJsonBody(
  document: JsonObject,
  container: unknown,
  required: boolean,
  where: string,
): JsonBody | undefined {
  const content = deref(document, container).content;
  if (!isObject(content) || Object.keys(content).length === 0) return undefined;
  const media = content[JSON_MEDIA_TYPE];
  if (!isObject(media) || Object.keys(content).length > 1) {
    throw new Unsupported(
      `${where}: only ${JSON_MEDIA_TYPE} bodies are supported, got ${Object.keys(content).join(", ")}`,
    );
  }
  const ref = isObject(media.schema) ? optionalString(media.schema.$ref) : undefined;
  const schema = deref(document, media.schema);
  const properties = isObject(schema.properties) ? schema.properties : {};
  return {
    required,
    schemaName: ref?.startsWith(SCHEMA_REF_PREFIX)
      ? ref.slice(SCHEMA_REF_PREFIX.length)
      : undefined,
    empty: schema.type === "object" && Object.keys(properties).length === 0,
    closed: schema.additionalProperties === false,
    named: deref(document, properties.name).type === "string",
    arrays: Object.keys(properties).filter(
      (key) => deref(document, properties[key]).type === "array",
    ),
    paged: "nextPageToken" in properties,
  };
}

function successStatusOf(responses: JsonObject, operationId: string): string {
  const status = ["200", "201", "202", "203", "204", "2XX"].find((code) => code in responses);
  if (status === undefined)
    throw new Error(`Operation "${operationId}" declares no success response`);
  return status;
}

/** Without `x-retry`, what HTTP says of the method (RFC 9110 §9.2): safe, idempotent, or neither. */
const METHOD_RETRY: Readonly<Record<HttpMethod, RetryClass>> = {
  get: "safe",
  head: "safe",
  options: "safe",
  trace: "safe",
  put: "idempotent",
  delete: "idempotent",
  post: "unsafe",
  patch: "unsafe",
};

function retryOf(operation: JsonObject, operationId: string, method: HttpMethod): RetryClass {
  const retry = operation["x-retry"] ?? METHOD_RETRY[method];
  if (typeof retry === "string" && RETRY_CLASSES.includes(retry)) return retry as RetryClass;
  throw new Error(
    `Operation "${operationId}": x-retry must be one of ${RETRY_CLASSES.join(", ")}, got ${JSON.stringify(retry)}`,
  );
}

function readOperation(
  document: JsonObject,
  path: string,
  method: HttpMethod,
  pathItem: JsonObject,
): OperationModel {
  const operation = deref(document, pathItem[method]);
  const where = `${pathLocation(path)}.${method}`;
  const rawId = optionalString(operation.operationId);
  if (rawId === undefined) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
  checkName(rawId, OPERATION_ID, `${where}.operationId`);
  const operationId = checkIdentifier(functionName(rawId), `${where}.operationId`);
  const parameters = parametersOf(document, pathItem, operation, { path, method });
  for (const parameter of parameters) {
    // Skipping one would generate a function that never sends it, required or not.
    if (parameter.in !== "path" && parameter.in !== "query") {
      throw new Error(
        `Operation "${operationId}": parameter "${String(parameter.name)}" is in ${JSON.stringify(parameter.in)}; only path and query parameters are supported`,
      );
    }
  }
  const requestBody = deref(document, operation.requestBody);
  const responses = deref(document, operation.responses);
  const successStatus = successStatusOf(responses, operationId);
  const retry = retryOf(operation, operationId, method);
  const queryParameters = parameters
    .filter((parameter) => parameter.in === "query")
    .map((parameter) => readQueryParameter(document, parameter, operationId));
  return {
    operationId,
    specOperationId: rawId,
    method,
    path,
    summary: optionalString(operation.summary),
    description: optionalString(operation.description),
    pathParameters: parameters
      .filter((parameter) => parameter.in === "path")
      .map((parameter) => readPathParameter(document, parameter)),
    queryParameters,
    requestBody: readJsonBody(
      document,
      requestBody,
      requestBody.required === true,
      `${operationId} request body`,
    ),
    successStatus,
    result: readJsonBody(
      document,
      responses[successStatus],
      true,
      `${operationId} ${successStatus} response`,
    ),
    retry,
    retryIdParameter:
      retry === "idempotent-with-id"
        ? retryIdParameterOf(operation, queryParameters, `${where}.x-retry-id-parameter`)
        : undefined,
  };
}

/** The query parameter `x-retry-id-parameter` names: the generated code reads it from the options. */
function retryIdParameterOf(
  operation: JsonObject,
  queryParameters: readonly QueryParameterModel[],
  where: string,
): string | undefined {
  const name = optionalString(operation["x-retry-id-parameter"]);
  if (name === undefined || queryParameters.some((q) => q.name === name)) return name;
  throw new Error(`${where}: ${literal(name)} is not a query parameter of the operation`);
}

function readSchema(name: string, schema: unknown): SchemaModel {
  checkName(name, COMPONENT_NAME, `components.schemas.${name}`);
  const object = isObject(schema) ? schema : {};
  const values = list(object.enum);
  return {
    name,
    description: optionalString(object.description),
    enumValues:
      object.type === "string" && values.length > 0 && values.every((v) => typeof v === "string")
        ? (values as string[])
        : undefined,
  };
}

/**
 * The function name for an operationId: `Gateway_ListRlorTrainerJobs` (a service prefix) →
 * `listRlorTrainerJobs`, `list_responses_v1_get` → `listResponsesV1Get`, camelCase kept as is.
 */
export function functionName(operationId: string): string {
  const unprefixed = operationId.replace(/^[A-Z][A-Za-z0-9]*_(?=[A-Z])/, "");
  const camel = unprefixed.replace(/[_\-.]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
  return camel.charAt(0).toLowerCase() + camel.slice(1);
}

/** Lists every operation (in document order) and every component schema of an OpenAPI 3 document. */
export function readOperations(document: JsonObject): ApiModel {
  checkPatterns(document);
  const operations: OperationModel[] = [];
  const skipped: SkippedOperation[] = [];
  for (const [path, rawPathItem] of Object.entries(
    isObject(document.paths) ? document.paths : {},
  )) {
    const pathItem = deref(document, rawPathItem);
    for (const method of HTTP_METHODS) {
      if (pathItem[method] === undefined) continue;
      try {
        operations.push(readOperation(document, path, method, pathItem));
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        const operationId = functionName(String(deref(document, pathItem[method]).operationId));
        skipped.push({ method, path, operationId, reason: error.message });
      }
    }
  }
  const seen = new Map<string, OperationModel>();
  for (const operation of operations) {
    const other = seen.get(operation.operationId);
    if (other !== undefined) {
      throw new Error(
        `Two operations would both be named ${operation.operationId}: ${other.method.toUpperCase()} ${other.path} and ${operation.method.toUpperCase()} ${operation.path}`,
      );
    }
    seen.set(operation.operationId, operation);
  }
  const components = isObject(document.components) ? document.components : {};
  const schemas = Object.entries(isObject(components.schemas) ? components.schemas : {}).map(
    ([name, schema]) => readSchema(name, schema),
  );
  return { schemas, operations, skipped };
}
