// Stage 2: the OpenAPI types, via the openapi-typescript Node API.

import { pathToFileURL } from "node:url";
import type { OpenAPI3, OpenAPITSOptions } from "openapi-typescript";
import type { JsonObject } from "./json-document.js";

/**
 * Every openapi-typescript option the project depends on, in one place. They are the CLI defaults
 * spelled out, so `generated/schema.ts` stays byte-identical to the CLI's output (after our header).
 * `enum` stays off: `export enum` breaks `erasableSyntaxOnly`; `pathParamsAsTypes` breaks typed calls.
 */
const OPENAPI_TS_OPTIONS = {
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

/**
 * Returns the types for the spec `document` read from `specPath` (openapi-typescript's own
 * comment header included). It takes the document already parsed: reading the file again would
 * parse its YAML a second time (~0.2 s for the whole Fireworks API).
 */
export async function generateTypes(document: JsonObject, specPath: string): Promise<string> {
  // Imported when first needed: `npm run generate` registers its loader hook before
  // (generate.ts), which gives it the TypeScript ts-morph has loaded.
  const { default: openapiTS, astToString, COMMENT_HEADER } = await import("openapi-typescript");
  const { createConfig } = await import("@redocly/openapi-core");
  // The lint stage has already checked the spec against redocly.yaml: a config without rules makes
  // openapi-typescript only bundle it. (redocly.yaml has no decorators, the one thing that would
  // change the bundle.)
  const bundleOnly = await createConfig({}, { extends: [] });
  const ast = await openapiTS(document as unknown as OpenAPI3, {
    ...OPENAPI_TS_OPTIONS,
    cwd: pathToFileURL(specPath),
    redocly: bundleOnly,
    silent: true,
  });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}
