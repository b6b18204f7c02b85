import { afterEach, describe, expect, it } from "vitest";
import { rlorTrainerJobStateFilter } from "../../src/core/state-filter.js";
import { InvalidArgumentError, type JobState } from "../../src/index.js";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { type FaultServer, json, startFaultServer } from "../helpers/fault-server.js";
import { runInProcess } from "./in-process.js";

// `list --state` asks the server to filter (AIP-160) and checks each job it gets back; without
// --all, a page with more behind it says so.

let fake: FakeFireworks | undefined;
let faults: FaultServer | undefined;
afterEach(async () => {
  await fake?.close();
  await faults?.close();
  fake = undefined;
  faults = undefined;
});

const name = (id: string) => `accounts/acme/rlorTrainerJobs/${id}`;

function run(baseUrl: string, args: string[]) {
  return runInProcess([...args, "--max-retries", "0"], {
    env: {
      FIREWORKS_API_KEY: "fw-fake-key",
      FIREWORKS_ACCOUNT_ID: "acme",
      FIREWORKS_BASE_URL: baseUrl,
    },
  });
}

/** The `filter` query parameter of each request the server saw. */
const filtersSent = (requests: { url: string }[]) =>
  requests.map((request) => new URL(request.url, "http://x").searchParams.get("filter"));

describe("rlorTrainerJobStateFilter", () => {
  it("ORs the states and ANDs a filter, each side in parentheses", () => {
    expect(rlorTrainerJobStateFilter([])).toBeUndefined();
    expect(rlorTrainerJobStateFilter([], "displayName = x")).toBe("displayName = x");
    expect(rlorTrainerJobStateFilter(["JOB_STATE_PAUSED"])).toBe("state = JOB_STATE_PAUSED");
    expect(
      rlorTrainerJobStateFilter(
        ["JOB_STATE_PAUSED", "JOB_STATE_FAILED", "JOB_STATE_PAUSED"],
        'displayName = "a" OR displayName = "b"',
      ),
    ).toBe(
      '(state = JOB_STATE_PAUSED OR state = JOB_STATE_FAILED) AND (displayName = "a" OR displayName = "b")',
    );
  });

  it.each(['PAUSED") OR (name != "', "job_state_paused", ""])(
    "refuses %j, which could change what the filter says",
    (state) => {
      expect(() => rlorTrainerJobStateFilter([state as JobState])).toThrow(InvalidArgumentError);
    },
  );
});

describe("list --state against the fake server", () => {
  const jobs = [
    { id: "a" },
    { id: "b", state: "JOB_STATE_RUNNING" },
    { id: "c", body: { displayName: "special" } },
    { id: "d", state: "JOB_STATE_FAILED", body: { displayName: "special" } },
  ];

  it("sends the states as the filter, ORed, and a --filter ANDed in parentheses", async () => {
    fake = await startFakeFireworks({ accountId: "acme", jobs });
    const one = await run(fake.baseUrl, ["list", "--state", "PAUSED", "-o", "name"]);
    expect(one).toMatchObject({ code: 0, stdout: `${name("a")}\n${name("c")}\n`, stderr: "" });
    const two = await run(fake.baseUrl, [
      "list",
      "--state",
      "PAUSED,FAILED",
      "--filter",
      'displayName = "special"',
      "-o",
      "name",
    ]);
    expect(two).toMatchObject({ code: 0, stdout: `${name("c")}\n${name("d")}\n`, stderr: "" });
    expect(filtersSent(fake.requests)).toEqual([
      "state = JOB_STATE_PAUSED",
      '(state = JOB_STATE_PAUSED OR state = JOB_STATE_FAILED) AND (displayName = "special")',
    ]);
  });

  it("--all sends the filter on every page", async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ id: `p-${i}` }));
    fake = await startFakeFireworks({ accountId: "acme", jobs: [...many, ...jobs] });
    const result = await run(fake.baseUrl, [
      "list",
      "--state",
      "PAUSED",
      "--all",
      "--page-size",
      "3",
      "-o",
      "name",
    ]);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(9);
    expect(filtersSent(fake.requests)).toEqual(Array(3).fill("state = JOB_STATE_PAUSED"));
  });

  it("one page of several: the note says more may match, the JSON keeps the token", async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ id: `p-${i}` }));
    fake = await startFakeFireworks({ accountId: "acme", jobs: many });
    const result = await run(fake.baseUrl, [
      "list",
      "--state",
      "PAUSED",
      "--page-size",
      "2",
      "-o",
      "json",
    ]);
    const printed = JSON.parse(result.stdout) as {
      rlorTrainerJobs: unknown[];
      nextPageToken: string;
    };
    expect(printed.rlorTrainerJobs).toHaveLength(2);
    expect(printed.nextPageToken).not.toBe("");
    expect(result.stderr).toBe(
      `More jobs may match on the next pages: add --all, or --page-token ${printed.nextPageToken}\n`,
    );
  });
});

describe("list --state against a server that ignores the filter", () => {
  /** Every job, whatever the filter says: 2 PAUSED among 4, and more pages behind. */
  const page = {
    rlorTrainerJobs: [
      { name: name("a"), state: "JOB_STATE_PAUSED" },
      { name: name("b"), state: "JOB_STATE_RUNNING" },
      { name: name("c"), state: "JOB_STATE_PAUSED" },
      { name: name("d"), state: 7 },
    ],
    nextPageToken: "more",
    totalSize: 40,
  };

  it("prints only the jobs in the state, and no total that counts the others", async () => {
    faults = await startFaultServer("127.0.0.1", json(200, page));
    const result = await run(faults.url, ["list", "--state", "PAUSED", "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      rlorTrainerJobs: [page.rlorTrainerJobs[0], page.rlorTrainerJobs[2]],
      nextPageToken: "more",
    });
    expect(result.stderr).toBe(
      "More jobs may match on the next pages: add --all, or --page-token more\n",
    );
    expect(filtersSent(faults.requests)).toEqual(["state = JOB_STATE_PAUSED"]);
  });

  it("a page with no match but more behind it says so rather than show an empty list", async () => {
    faults = await startFaultServer("127.0.0.1", json(200, page));
    const result = await run(faults.url, ["list", "--state", "FAILED"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("NAME  STATE  CREATED  BASE MODEL\n");
    expect(result.stderr).toMatch(/^More jobs may match on the next pages: add --all/);
  });

  it("--all checks every page", async () => {
    faults = await startFaultServer("127.0.0.1", json(200, { ...page, nextPageToken: "" }));
    faults.script(json(200, page));
    const result = await run(faults.url, ["list", "--state", "PAUSED", "--all", "-o", "name"]);
    expect(result).toMatchObject({
      code: 0,
      stdout: [name("a"), name("c"), name("a"), name("c"), ""].join("\n"),
      stderr: "",
    });
    expect(faults.requests).toHaveLength(2);
  });
});
