import type { FakeJobBody } from "./fake-jobs.js";
import { type Checked, invalid } from "./validation.js";

/** Job fields a filter or an order may name: the scalar fields a caller would sort or pick by. */
const FIELDS: ReadonlySet<string> = new Set([
  "name",
  "displayName",
  "state",
  "createTime",
  "completedTime",
  "createdBy",
  "dataset",
  "keepAlive",
  "serviceMode",
  "trainingConfig.baseModel",
  "trainingConfig.outputModel",
]);

/** A field's value as text, for comparing: `a.b` walks into objects; absent reads as "". */
function fieldText(job: FakeJobBody, path: string): string {
  let value: unknown = job;
  for (const key of path.split(".")) {
    value =
      typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : "";
}

function unknownField(field: string, where: string) {
  return invalid(
    `unknown field ${JSON.stringify(field)} in ${where}; known: ${[...FIELDS].join(", ")}`,
  );
}

/** `state = JOB_STATE_PAUSED`, `state != "RUNNING"`, `displayName = "grpo 1"`. */
const CONDITION = /^([A-Za-z_][\w.]*)\s*(!=|=)\s*(?:"([^"]*)"|(\S+))$/;

type Predicate = (job: FakeJobBody) => boolean;

/**
 * A filter in the part of AIP-160 callers use here: `field = value` and `field != value`
 * conditions joined by `AND`. A state may be written short: `state = PAUSED`.
 */
export function parseFilter(filter: string): Checked<Predicate> {
  const conditions: Predicate[] = [];
  for (const text of filter.trim() === "" ? [] : filter.trim().split(/\s+AND\s+/)) {
    const match = CONDITION.exec(text.trim());
    const [, field = "", op, quoted, bare] = match ?? [];
    if (!match)
      return invalid(
        `invalid filter ${JSON.stringify(filter)}: cannot read ${JSON.stringify(text)}`,
      );
    if (!FIELDS.has(field)) return unknownField(field, "filter");
    let value = quoted ?? bare ?? "";
    if (field === "state" && !value.startsWith("JOB_STATE_")) value = `JOB_STATE_${value}`;
    conditions.push((job) => (fieldText(job, field) === value) === (op === "="));
  }
  return { ok: true, value: (job) => conditions.every((condition) => condition(job)) };
}

type Compare = (a: FakeJobBody, b: FakeJobBody) => number;

/** An AIP-132 order: `field`, `field desc`, comma-separated; ties fall back to the name. */
export function parseOrderBy(orderBy: string): Checked<Compare> {
  const keys: { field: string; sign: number }[] = [];
  for (const text of orderBy.trim() === "" ? [] : orderBy.split(",")) {
    const match = /^([\w.]+)(?:\s+(asc|desc))?$/.exec(text.trim());
    if (!match?.[1]) return invalid(`invalid order_by ${JSON.stringify(orderBy)}`);
    if (!FIELDS.has(match[1])) return unknownField(match[1], "order_by");
    keys.push({ field: match[1], sign: match[2] === "desc" ? -1 : 1 });
  }
  keys.push({ field: "name", sign: 1 });
  return {
    ok: true,
    value: (a, b) => {
      for (const { field, sign } of keys) {
        const x = fieldText(a, field);
        const y = fieldText(b, field);
        if (x !== y) return x < y ? -sign : sign;
      }
      return 0;
    },
  };
}

/** The job with only the fields a read mask names (top-level); empty or `*` keeps all. */
export function applyReadMask(job: FakeJobBody, readMask: string | undefined): FakeJobBody {
  const paths = (readMask ?? "")
    .split(",")
    .map((path) => path.trim())
    .filter(Boolean);
  if (paths.length === 0 || paths.includes("*")) return job;
  const keep = new Set(paths.map((path) => path.split(".")[0]));
  return Object.fromEntries(Object.entries(job).filter(([field]) => keep.has(field)));
}
