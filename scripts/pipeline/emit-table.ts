// generated/operation-table.ts: every operation as data, for the command line and the fake
// server. A module of its own, so a bundle that calls one function never carries the table.
import { constantCase, patternConstant } from "./emit-names.js";
import type { ApiModel, JsonBody, OperationModel } from "./read-operations.js";
import { type OperationResource, type Resources, resourceOfOperation } from "./resource-names.js";
import { literal } from "./source-text.js";
import { printModule } from "./ts-source.js";

function bodyKind(body: JsonBody | undefined): "none" | "empty" | "object" {
  if (body === undefined) return "none";
  return body.empty && body.closed ? "empty" : "object";
}

function entry(operation: OperationModel, resource: OperationResource): string {
  const { pattern, onParent, returnsResource } = resource;
  const result = operation.result;
  const fields = {
    operationId: literal(operation.operationId),
    method: literal(operation.method.toUpperCase()),
    path: literal(operation.path),
    summary: literal(operation.summary),
    resource: pattern === undefined ? "undefined" : patternConstant(pattern),
    onParent: String(onParent),
    query: literal(operation.queryParameters),
    body: literal(bodyKind(operation.requestBody)),
    result: literal(result === undefined || result.empty ? "empty" : "object"),
    returnsResource: String(returnsResource),
    retry: literal(operation.retry),
    retryIdParameter: literal(operation.retryIdParameter),
    items: literal(result?.paged && result.arrays.length === 1 ? result.arrays[0] : undefined),
  };
  return `{ ${Object.entries(fields)
    .map(([key, value]) => `${key}: ${value}`)
    .join(", ")} }`;
}

/**
 * One constant per operation, so that code that needs a few entries (the request path's
 * reconciling read) bundles those, not the whole table with every query parameter's description.
 */
function entryConstant(operation: OperationModel): string {
  return `${constantCase(operation.operationId)}_OPERATION`;
}

export function emitTable(api: ApiModel, resources: Resources): string {
  const constants = resources.patterns.map(patternConstant);
  return printModule([
    ...(constants.length > 0
      ? [`import { ${constants.sort().join(", ")} } from "./names.js";`]
      : []),
    'import type { OperationEntry } from "./runtime.js";',
    ...api.operations.map(
      (op) =>
        `/** The entry of \`${op.operationId}\`. */\nexport const ${entryConstant(op)}: OperationEntry = ${entry(op, resourceOfOperation(resources, op.operationId))};`,
    ),
    `/** Every operation of the spec, in its order. */\nexport const OPERATIONS: readonly OperationEntry[] = [${api.operations.map(entryConstant).join(", ")}];`,
  ]);
}
