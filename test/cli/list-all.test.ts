import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { formatCheckpointList, formatJobList } from "../../src/cli/output.js";
import { type FaultServer, json, type Step, startFaultServer } from "../helpers/fault-server.js";
import { runInProcess } from "./in-process.js";

// `list --all` and `checkpoints --all` print each page as it arrives, holding one page at a
// time. The server proves it: it answers page k only once the CLI has printed page k - 1, and
// refuses (400) a page asked for before that, so output that waits for the whole list fails.

const PAGES = 40;
const PER_PAGE = 3;

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Item j of page k: named so that every item's name has the same length. */
const itemName = (kind: string, k: number, j: number) =>
  `accounts/acme/${kind}/i-${String(k).padStart(2, "0")}-${j}`;

/** A paged list of PAGES pages whose page k needs page k - 1 printed (seen in `printed()`). */
function pagedStep(
  printed: () => string,
  page: (k: number) => Record<string, unknown>,
  lastOf: (k: number) => string,
): Step {
  return (response: ServerResponse, request) => {
    const token = new URL(request.url ?? "", "http://x").searchParams.get("pageToken");
    const k = token === null ? 0 : Number(token.slice("page-".length));
    if (k > 0 && !printed().includes(lastOf(k - 1))) {
      json(400, {
        code: 9,
        message: `page ${k - 1} was not printed before page ${k} was asked for`,
      })(response, request, "");
      return;
    }
    json(200, { ...page(k), nextPageToken: k + 1 < PAGES ? `page-${k + 1}` : "" })(
      response,
      request,
      "",
    );
  };
}

const jobs = (k: number) =>
  Array.from({ length: PER_PAGE }, (_, j) => ({
    name: itemName("rlorTrainerJobs", k, j),
    state: "JOB_STATE_RUNNING",
    createTime: "2026-12-01T00:00:00Z",
    wandbConfig: { apiKey: "wandb-secret" },
  }));
const checkpoints = (k: number) =>
  Array.from({ length: PER_PAGE }, (_, j) => ({
    name: itemName("checkpoints", k, j),
    checkpointType: "CHECKPOINT_TYPE_INFERENCE_BASE",
    promotable: true,
  }));

/** The text that shows page k was printed, in each output format. */
function lastShown(format: string, name: string): string {
  return format === "json" ? JSON.stringify(name) : name;
}

async function runAll(args: string[], step: (printed: () => string) => Step) {
  let printed = "";
  server = await startFaultServer(
    "127.0.0.1",
    step(() => printed),
  );
  return runInProcess([...args, "--all", "--max-retries", "0"], {
    env: {
      FIREWORKS_API_KEY: "fw-test-key",
      FIREWORKS_ACCOUNT_ID: "acme",
      FIREWORKS_BASE_URL: server.url,
    },
    onStdout: (text) => {
      printed += text;
    },
  });
}

const everyJob = Array.from({ length: PAGES }, (_, k) => jobs(k)).flat();

describe("list --all streams its pages", () => {
  it.each(["text", "name", "json"] as const)(
    "-o %s: each page printed before the next is asked for; the output as a whole list prints it",
    async (format) => {
      const result = await runAll(["list", "-o", format], (printed) =>
        pagedStep(
          printed,
          (k) => ({ rlorTrainerJobs: jobs(k) }),
          (k) => lastShown(format, itemName("rlorTrainerJobs", k, PER_PAGE - 1)),
        ),
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(server?.requests).toHaveLength(PAGES);
      expect(result.stdout).toBe(formatJobList(everyJob, format));
      expect(result.stdout).not.toContain("wandb-secret");
      if (format === "json") {
        expect(JSON.parse(result.stdout)).toEqual({
          rlorTrainerJobs: everyJob.map((job) => ({
            ...job,
            wandbConfig: { apiKey: "[REDACTED]" },
          })),
        });
      }
    },
  );

  it("--state filters each page as it comes; an empty list still prints a whole document", async () => {
    const result = await runAll(["list", "-o", "json", "--state", "FAILED"], (printed) =>
      pagedStep(
        printed,
        (k) => ({ rlorTrainerJobs: jobs(k) }),
        () => "",
      ),
    );
    expect(result.code).toBe(0);
    expect(server?.requests).toHaveLength(PAGES);
    expect(JSON.parse(result.stdout)).toEqual({ rlorTrainerJobs: [] });
  });

  it("checkpoints --all -o text streams too", async () => {
    const result = await runAll(["checkpoints", "job-1"], (printed) =>
      pagedStep(
        printed,
        (k) => ({ checkpoints: checkpoints(k) }),
        (k) => itemName("checkpoints", k, PER_PAGE - 1),
      ),
    );
    expect(result.code).toBe(0);
    const all = Array.from({ length: PAGES }, (_, k) => checkpoints(k)).flat();
    expect(result.stdout).toBe(formatCheckpointList(all, "text"));
  });

  it("a looping server: the pages read are printed, then PaginationLoopError, exit 1", async () => {
    let served = 0;
    const result = await runAll(["list", "-o", "name"], () => (response, request) => {
      served++;
      // Ends after 10 pages, so a CLI that does not stop the loop fails rather than hangs.
      const token = served > 10 ? "" : served % 2 === 1 ? "A" : "B";
      json(200, { rlorTrainerJobs: jobs(served), nextPageToken: token })(response, request, "");
    });
    expect(result.code).toBe(1);
    expect(served).toBe(3);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(3 * PER_PAGE);
    expect(result.stderr).toBe(
      'fireworks-rlor: PaginationLoopError: The server sent page token "A" again after 3 pages; stopping the list\n',
    );
  });
});
