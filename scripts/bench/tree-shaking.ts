// Tree-shaking as the spec grows: the same consumer bundled against each spec's generated code.
import { join } from "node:path";
import { type BundleSize, buildErrors, bundleSize } from "./bundle.js";
import { oursConsumer } from "./bundle-size.js";
import type { PreparedProject } from "./prepare.js";

export interface TreeShakingRow {
  /** The package entry (src/index.ts of the copy) bundled, or esbuild's errors if it does not build. */
  src: BundleSize | { errors: string[] };
  /** generated/operations.ts plus a tiny ApiClient made with openapi-fetch: no src/ at all. */
  generatedOnly: BundleSize;
}

/** A consumer that needs nothing from src/: the ApiClient the generated functions take, by hand. */
function generatedOnlyConsumer(dir: string): string {
  return `
import createClient from "openapi-fetch";
import { resumeRlorTrainerJob } from ${JSON.stringify(join(dir, "generated/operations.ts"))};
const client = {
  fetchClient: createClient({ baseUrl: "https://api.fireworks.ai", headers: { Authorization: "Bearer " + process.env.FIREWORKS_API_KEY } }),
  pathDefault: (parameter) => (parameter === "account_id" ? "my-account" : undefined),
  pathDefaultHint: () => "pass an account",
};
console.log(await resumeRlorTrainerJob(client, "my-job"));
`;
}

export async function measureTreeShaking(project: PreparedProject): Promise<TreeShakingRow> {
  let src: TreeShakingRow["src"];
  try {
    src = await bundleSize(oursConsumer(join(project.dir, "src/index.ts")), project.dir, "ours");
  } catch (error) {
    src = { errors: buildErrors(error) };
  }
  const generatedOnly = await bundleSize(generatedOnlyConsumer(project.dir), project.dir, "gen");
  return { src, generatedOnly };
}
