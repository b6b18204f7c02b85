// AIP-122 resource names from path templates: `/v1/accounts/{account_id}/rlorTrainerJobs/
// {rlor_trainer_job_id}:resume` acts on `accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}`;
// a path that ends in a literal (a collection such as `rlorTrainerJobs`, or a sub-resource such as
// `publicLogs`) acts on the resource before it, its parent.
import type { OperationModel, PathParameterModel } from "./read-operations.js";

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
  pattern: PatternModel;
  /** True when the path goes on past the resource (a collection or sub-resource of it). */
  onParent: boolean;
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
  const lastVariable = segments.findLastIndex((segment) => VARIABLE.test(segment));
  if (lastVariable < 1) throw new Error(`${where}: its path names no resource`);
  const pattern = segments.slice(0, lastVariable + 1).map((segment, i) => {
    const name = VARIABLE.exec(segment)?.[1];
    if ((name !== undefined) !== (i % 2 === 1)) {
      throw new Error(`${where}: expected collection/{id} pairs, got "${segment}" at ${i + 1}`);
    }
    if (name === undefined) return segment;
    const parameter = operation.pathParameters.find((p) => p.name === name);
    if (parameter === undefined)
      throw new Error(`${where}: path parameter "${name}" is not declared`);
    return parameter;
  });
  const idParameter = pattern[lastVariable] as PathParameterModel;
  return {
    pattern: {
      typeName: pascalCase(singular(segments[lastVariable - 1] ?? "")),
      title: idParameter.title.replace(/ id$/i, ""),
      template: segments.slice(0, lastVariable + 1).join("/"),
      segments: pattern,
    },
    onParent: lastVariable < segments.length - 1,
  };
}
