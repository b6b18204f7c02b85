// Reads what the wrapper needs out of the (already linted) OpenAPI document, as plain data.

export type ParameterLocation = "path" | "query" | "header";

export interface ParameterGroup {
  location: ParameterLocation;
  /** True when at least one parameter of the group is required (path parameters always are). */
  required: boolean;
}

export interface JsonBody {
  required: boolean;
  /** Component schema name when the body is a plain `$ref` to one, so the alias can be used. */
  schemaName: string | undefined;
}

export interface OperationModel {
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string | undefined;
  description: string | undefined;
  parameterGroups: ParameterGroup[];
  requestBody: JsonBody | undefined;
  /** The success status whose JSON body is the result, as openapi-typescript keys it. */
  successStatus: string;
  result: JsonBody | undefined;
}

export interface SchemaModel {
  name: string;
  description: string | undefined;
}

export interface ApiModel {
  schemas: SchemaModel[];
  operations: OperationModel[];
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const JSON_MEDIA_TYPE = "application/json";
const SCHEMA_REF_PREFIX = "#/components/schemas/";
const PARAMETER_LOCATIONS: readonly string[] = ["path", "query", "header"];

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function resolvePointer(document: JsonObject, ref: string): unknown {
  if (!ref.startsWith("#/")) {
    throw new Error(`Only local $refs are supported, got "${ref}"`);
  }
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) ? node[key] : undefined;
  }
  if (node === undefined) {
    throw new Error(`Unresolved $ref "${ref}"`);
  }
  return node;
}

function deref(document: JsonObject, value: unknown): JsonObject {
  let node = value;
  for (let hops = 0; isObject(node) && typeof node.$ref === "string"; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at "${node.$ref}"`);
    node = resolvePointer(document, node.$ref);
  }
  return isObject(node) ? node : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function readParameterGroups(
  document: JsonObject,
  pathItem: JsonObject,
  operation: JsonObject,
  operationId: string,
): ParameterGroup[] {
  // Operation-level parameters override path-level ones with the same name and location.
  const byKey = new Map<string, JsonObject>();
  for (const raw of [...list(pathItem.parameters), ...list(operation.parameters)]) {
    const parameter = deref(document, raw);
    byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
  }
  const groups = new Map<ParameterLocation, ParameterGroup>();
  for (const parameter of byKey.values()) {
    const location = parameter.in;
    // Skipping it would generate a function that never sends the parameter, required or not.
    if (typeof location !== "string" || !PARAMETER_LOCATIONS.includes(location)) {
      throw new Error(
        `Operation "${operationId}": parameter "${String(parameter.name)}" is in ${JSON.stringify(location)}; only ${PARAMETER_LOCATIONS.join(", ")} parameters are supported`,
      );
    }
    const group = groups.get(location as ParameterLocation) ?? {
      location: location as ParameterLocation,
      required: false,
    };
    group.required ||= location === "path" || parameter.required === true;
    groups.set(group.location, group);
  }
  return PARAMETER_LOCATIONS.flatMap((location) => groups.get(location as ParameterLocation) ?? []);
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
  if (!isObject(media)) {
    throw new Error(
      `${where}: only ${JSON_MEDIA_TYPE} bodies are supported, got ${Object.keys(content).join(", ")}`,
    );
  }
  const schema = media.schema;
  const ref = isObject(schema) ? optionalString(schema.$ref) : undefined;
  const schemaName = ref?.startsWith(SCHEMA_REF_PREFIX)
    ? ref.slice(SCHEMA_REF_PREFIX.length)
    : undefined;
  return { required, schemaName };
}

function successStatusOf(responses: JsonObject, operationId: string): string {
  const status = ["200", "201", "202", "203", "204", "2XX"].find((code) => code in responses);
  if (status === undefined)
    throw new Error(`Operation "${operationId}" declares no success response`);
  return status;
}

function readOperation(
  document: JsonObject,
  path: string,
  method: HttpMethod,
  pathItem: JsonObject,
): OperationModel {
  const operation = deref(document, pathItem[method]);
  const operationId = optionalString(operation.operationId);
  if (operationId === undefined)
    throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
  const requestBody = deref(document, operation.requestBody);
  const responses = deref(document, operation.responses);
  const successStatus = successStatusOf(responses, operationId);
  return {
    operationId,
    method,
    path,
    summary: optionalString(operation.summary),
    description: optionalString(operation.description),
    parameterGroups: readParameterGroups(document, pathItem, operation, operationId),
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
  };
}

/** Lists every operation (in document order) and every component schema of an OpenAPI 3 document. */
export function readOperations(document: JsonObject): ApiModel {
  const operations: OperationModel[] = [];
  for (const [path, rawPathItem] of Object.entries(
    isObject(document.paths) ? document.paths : {},
  )) {
    const pathItem = deref(document, rawPathItem);
    for (const method of HTTP_METHODS) {
      if (pathItem[method] !== undefined)
        operations.push(readOperation(document, path, method, pathItem));
    }
  }
  const components = isObject(document.components) ? document.components : {};
  const schemas = Object.entries(isObject(components.schemas) ? components.schemas : {}).map(
    ([name, schema]) => ({
      name,
      description: isObject(schema) ? optionalString(schema.description) : undefined,
    }),
  );
  return { schemas, operations };
}
