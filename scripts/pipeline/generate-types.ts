// Stage 2: the OpenAPI types, via the openapi-typescript Node API.

import { pathToFileURL } from "node:url";
import type { Config } from "@redocly/openapi-core";
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPITSOptions } from "openapi-typescript";

/**
 * Every openapi-typescript option the project depends on, in one place. They are the CLI defaults
 * spelled out, so `generated/schema.ts` stays byte-identical to the CLI's output (after our header).
 * `enum` stays off: `export enum` breaks `erasableSyntaxOnly`; `pathParamsAsTypes` breaks typed calls.
 */
export const OPENAPI_TS_OPTIONS = {
  additionalProperties: false,
  alphabetize: false,
  defaultNonNullable: true,
  emptyObjectsUnknown: false,
  enum: false,
  exportType: false,
  immutable: false,
  pathParamsAsTypes: false,
  propertiesRequiredByDefault: false,
  readWriteMarkers: false,
  rootTypes: false,
} as const satisfies OpenAPITSOptions;

/** Returns the types for `specPath` (openapi-typescript's own comment header included). */
export async function generateTypes(specPath: string, redocly: Config): Promise<string> {
  // The spec was linted with this config already; silent keeps openapi-typescript's repeat quiet.
  const ast = await openapiTS(pathToFileURL(specPath), {
    ...OPENAPI_TS_OPTIONS,
    redocly,
    silent: true,
  });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}
