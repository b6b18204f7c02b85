// AIP-122 resource names from path templates: `/v1/accounts/{account_id}/rlorTrainerJobs/
// {rlor_trainer_job_id}:resume` acts on `accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}`;
// a path that ends in a literal (a collection such as `rlorTrainerJobs`, or a sub-resource such as
// `publicLogs`) acts on the resource before it, its parent.
import type { OperationModel, PathParameterModel } from "./read-operations.js";
import { COLLECTION_ID, checkName } from "./spec-names.js";

export interface PatternModel {
  /** `RlorTrainerJob`: the stem of the generated names. */
  typeName: string;
  /** `RLOR trainer job`, for messages. */
  title: string;
  /** `accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}` */
  template: string;
  segments: (string | PathParameterModel)[];
}

export interface OperationResource {
  /**
   * Undefined when the path is not `collection/{id}` pairs (a top-level path such as
   * `/v1/accounts`, or an irregular one): the operation then takes its path parameters, if any,
   * as one object.
   */
  pattern: PatternModel | undefined;
  /** Every path parameter, once each, in path order. */
  parameters: PathParameterModel[];
  /** True when the path goes on past the resource (a collection or sub-resource of it). */
  onParent: boolean;
  /** True when the answer is the resource itself: the schema the resource's GET answers with. */
  returnsResource: boolean;
}

const VERSION_SEGMENT = /^v\d+[a-z0-9]*$/;
const VARIABLE = /^\{([^{}]+)\}$/;

export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function camelCase(name: string): string {
  return name.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

function singular(collection: string): string {
  if (collection.endsWith("ies")) return `${collection.slice(0, -3)}y`;
  return collection.endsWith("s") ? collection.slice(0, -1) : collection;
}

function segmentsOf(path: string): string[] {
  const segments = path.replace(/^\//, "").split("/");
  while (segments.length > 0 && VERSION_SEGMENT.test(segments[0] ?? "")) segments.shift();
  const last = segments.length - 1;
  // A custom method (`{id}:resume`) acts on the resource the segment names.
  segments[last] = (segments[last] ?? "").replace(/^(\{[^{}]+\}):[A-Za-z]+$/, "$1");
  return segments;
}

/** The resource an operation acts on, read from its path template. */
export function resourceOf(operation: OperationModel): OperationResource {
  const where = `Operation "${operation.operationId}" (${operation.path})`;
  const segments = segmentsOf(operation.path);
  const names = [
    ...segments.flatMap((s) => VARIABLE.exec(s)?.[1] ?? []),
    // A declared path parameter the template lacks is still one openapi-fetch's types require.
    ...operation.pathParameters.map((p) => p.name),
  ];
  const parameters = [...new Set(names)].map((name) => {
    const parameter = operation.pathParameters.find((p) => p.name === name);
    if (parameter === undefined)
      throw new Error(`${where}: path parameter "${name}" is not declared`);
    return parameter;
  });
  const lastVariable = segments.findLastIndex((segment) => VARIABLE.test(segment));
  const head = segments.slice(0, lastVariable + 1);
  const paired =
    lastVariable >= 1 &&
    parameters.length === head.filter((s) => VARIABLE.test(s)).length &&
    head.every((segment, i) => VARIABLE.test(segment) === (i % 2 === 1)) &&
    new Set(head).size === head.length;
  if (!paired) return { pattern: undefined, parameters, onParent: false, returnsResource: false };
  // The collections name the resource's types and functions (`RlorTrainerJobRef`).
  for (const collection of head.filter((_, i) => i % 2 === 0)) {
    checkName(collection, COLLECTION_ID, `paths.${operation.path}`);
  }
  const pattern = head.map((segment) => {
    const name = VARIABLE.exec(segment)?.[1];
    return name === undefined
      ? segment
      : (parameters.find((p) => p.name === name) as PathParameterModel);
  });
  const idParameter = pattern[lastVariable] as PathParameterModel;
  return {
    pattern: {
      typeName: pascalCase(singular(segments[lastVariable - 1] ?? "")),
      title: idParameter.title.replace(/ id$/i, ""),
      template: head.join("/"),
      segments: pattern,
    },
    parameters,
    onParent: lastVariable < segments.length - 1,
    returnsResource: false,
  };
}

/**
 * A name per pattern template: the collection's singular, qualified by its parent's where two
 * templates would share one (`DeploymentModel` beside `Model`); names that still clash fail loudly.
 */
function namePatterns(patterns: readonly PatternModel[]): Map<string, string> {
  const byTemplate = new Map(patterns.map((p) => [p.template, p]));
  const names = new Map<string, string>();
  const count = (name: string) =>
    [...byTemplate.values()].filter((p) => p.typeName === name).length;
  for (const pattern of byTemplate.values()) {
    const parent = pattern.segments.at(-4);
    names.set(
      pattern.template,
      count(pattern.typeName) > 1 && typeof parent === "string"
        ? `${pascalCase(singular(parent))}${pattern.typeName}`
        : pattern.typeName,
    );
  }
  const seen = new Map<string, string>();
  for (const [template, name] of names) {
    const other = seen.get(name);
    if (other !== undefined) {
      throw new Error(
        `Two resource patterns would both be named ${name}: ${other} and ${template}`,
      );
    }
    seen.set(name, template);
  }
  return names;
}

/** The resources of a spec's operations, and their patterns with final names. */
export interface Resources {
  /** Every operation's resource, by operationId. */
  byOperation: Map<string, OperationResource>;
  /** Each pattern once, in the order operations first use it. */
  patterns: PatternModel[];
}

/** Every operation's resource, with the patterns' final names. */
export function resourcesOf(operations: readonly OperationModel[]): Resources {
  const byOperation = new Map(operations.map((op) => [op.operationId, resourceOf(op)]));
  const patterns = [...byOperation.values()].flatMap((r) => r.pattern ?? []);
  const names = namePatterns(patterns);
  // One object per template, so every operation on a resource shares its pattern.
  const shared = new Map<string, PatternModel>();
  for (const pattern of patterns) {
    if (!shared.has(pattern.template)) {
      shared.set(pattern.template, {
        ...pattern,
        typeName: names.get(pattern.template) ?? pattern.typeName,
      });
    }
  }
  for (const resource of byOperation.values()) {
    if (resource.pattern !== undefined) resource.pattern = shared.get(resource.pattern.template);
  }
  markResourceAnswers(operations, byOperation);
  return { byOperation, patterns: [...shared.values()] };
}

/**
 * Marks the operations that answer with the resource their path names. What a resource is on
 * the wire is what its GET answers with (AIP-131), a schema with a `name`; a custom method (a
 * resume) answering with the same schema returns the resource too.
 */
function markResourceAnswers(
  operations: readonly OperationModel[],
  byOperation: ReadonlyMap<string, OperationResource>,
): void {
  const onResource = (operation: OperationModel) => {
    const resource = byOperation.get(operation.operationId);
    return resource?.pattern !== undefined && !resource.onParent ? resource : undefined;
  };
  const schemaOf = new Map<string, string>();
  for (const operation of operations) {
    const template = onResource(operation)?.pattern?.template;
    const { schemaName, named } = operation.result ?? {};
    if (operation.method === "get" && template !== undefined && schemaName && named)
      schemaOf.set(template, schemaName);
  }
  for (const operation of operations) {
    const resource = onResource(operation);
    const schemaName = operation.result?.schemaName;
    if (resource?.pattern !== undefined && schemaName !== undefined)
      resource.returnsResource = schemaOf.get(resource.pattern.template) === schemaName;
  }
}

/** The resource of one operation; every operation has one. */
export function resourceOfOperation(resources: Resources, operationId: string): OperationResource {
  const resource = resources.byOperation.get(operationId);
  if (resource === undefined) throw new Error(`No resource for ${operationId}`);
  return resource;
}
