import { describe, expect, it } from "vitest";
import { BadRequestError, iterateRlorTrainerJobs, listRlorTrainerJobs } from "../../src/index.js";
import type { FakeJobInit } from "../../src/testing/index.js";
import { send, useFake } from "./fake-setup.js";

const start = useFake();

/** Jobs job-000 … job-(n-1), their ids zero-padded so that name order is number order. */
function numbered(count: number): FakeJobInit[] {
  return Array.from({ length: count }, (_, i) => ({ id: `job-${String(i).padStart(3, "0")}` }));
}

const idsOf = (page: { rlorTrainerJobs?: { name?: string }[] }) =>
  (page.rlorTrainerJobs ?? []).map((job) => job.name?.split("/").pop());

describe("list", () => {
  it("iterates 450 jobs over pages of 200, 200 and 50, ending on an empty token", async () => {
    const { client, fake } = await start({ jobs: numbered(450) });
    let count = 0;
    for await (const job of iterateRlorTrainerJobs(client, undefined, { pageSize: 200 })) {
      expect(job.name).toBe(`accounts/acme/rlorTrainerJobs/job-${String(count).padStart(3, "0")}`);
      count += 1;
    }
    expect(count).toBe(450);
    expect(fake.requests).toHaveLength(3);
    const first = await listRlorTrainerJobs(client, undefined, { pageSize: 200 });
    const second = await listRlorTrainerJobs(client, undefined, {
      pageSize: 200,
      pageToken: first.nextPageToken,
    });
    const last = await listRlorTrainerJobs(client, undefined, {
      pageSize: 200,
      pageToken: second.nextPageToken,
    });
    expect([first, second, last].map((page) => page.rlorTrainerJobs?.length)).toEqual([
      200, 200, 50,
    ]);
    expect(last).toMatchObject({ nextPageToken: "", totalSize: 450 });
  });

  it("sends 50 by default and coerces more than 200 to 200", async () => {
    const { client } = await start({ jobs: numbered(250) });
    expect((await listRlorTrainerJobs(client)).rlorTrainerJobs).toHaveLength(50);
    const big = await listRlorTrainerJobs(client, undefined, { pageSize: 1000 });
    expect(big.rlorTrainerJobs).toHaveLength(200);
  });

  it("answers an empty account as the service does", async () => {
    const { client } = await start();
    expect(await listRlorTrainerJobs(client, undefined, { pageSize: 5 })).toEqual({
      rlorTrainerJobs: [],
      nextPageToken: "",
      totalSize: 0,
    });
  });

  it("refuses a page token reused with another filter, and a made-up one, with 400", async () => {
    const { client } = await start({ jobs: numbered(3) });
    const first = await listRlorTrainerJobs(client, undefined, { pageSize: 1 });
    expect(first.nextPageToken).not.toBe("");
    await expect(
      listRlorTrainerJobs(client, undefined, {
        pageToken: first.nextPageToken,
        filter: "state = PAUSED",
      }),
    ).rejects.toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    await expect(
      listRlorTrainerJobs(client, undefined, { pageToken: "not-a-token" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // The page size may change between pages (AIP-158).
    const next = await listRlorTrainerJobs(client, undefined, {
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(idsOf(next)).toEqual(["job-001", "job-002"]);
  });

  it("filters on state, long or short, and other fields joined by AND", async () => {
    const { client } = await start({
      jobs: [
        { id: "a", state: "JOB_STATE_RUNNING" },
        { id: "b" },
        { id: "c", body: { displayName: "special run" } },
      ],
    });
    const paused = await listRlorTrainerJobs(client, undefined, {
      filter: "state = JOB_STATE_PAUSED",
    });
    expect(idsOf(paused)).toEqual(["b", "c"]);
    const short = await listRlorTrainerJobs(client, undefined, {
      filter: 'state=PAUSED AND displayName = "special run"',
    });
    expect(idsOf(short)).toEqual(["c"]);
    const notPaused = await listRlorTrainerJobs(client, undefined, { filter: "state != PAUSED" });
    expect(idsOf(notPaused)).toEqual(["a"]);
  });

  it("reads OR (binding tighter than AND, as AIP-160 has it) and parentheses", async () => {
    const { client } = await start({
      jobs: [
        { id: "a", state: "JOB_STATE_RUNNING" },
        { id: "b" },
        { id: "c", body: { displayName: "special run" } },
        { id: "d", state: "JOB_STATE_FAILED", body: { displayName: "special run" } },
      ],
    });
    const ids = async (filter: string) =>
      idsOf(await listRlorTrainerJobs(client, undefined, { filter }));
    expect(await ids("state = RUNNING OR state = JOB_STATE_FAILED")).toEqual(["a", "d"]);
    expect(await ids('displayName = "special run" AND state = PAUSED OR state = FAILED')).toEqual([
      "c",
      "d",
    ]);
    expect(
      await ids('(state = PAUSED OR state = RUNNING) AND (displayName != "special run")'),
    ).toEqual(["a", "b"]);
    expect(await ids("((state = FAILED))")).toEqual(["d"]);
  });

  it.each([
    ["an unknown field", { filter: "colour = red" }],
    ["a filter it cannot read", { filter: "state IN (PAUSED)" }],
    ["an unclosed parenthesis", { filter: "(state = PAUSED" }],
    ["a dangling OR", { filter: "state = PAUSED OR" }],
    ["an unknown order field", { orderBy: "colour" }],
  ])("refuses %s with 400 INVALID_ARGUMENT", async (_, options) => {
    const { client } = await start({ jobs: numbered(1) });
    await expect(listRlorTrainerJobs(client, undefined, options)).rejects.toMatchObject({
      status: 400,
      code: "INVALID_ARGUMENT",
    });
  });

  it("orders by name or createTime, ascending or desc", async () => {
    const { client } = await start({
      jobs: [
        { id: "a", body: { createTime: "2026-01-02T00:00:00.000000Z" } },
        { id: "b", body: { createTime: "2026-01-03T00:00:00.000000Z" } },
        { id: "c", body: { createTime: "2026-01-01T00:00:00.000000Z" } },
      ],
    });
    const order = async (orderBy: string) =>
      idsOf(await listRlorTrainerJobs(client, undefined, { orderBy }));
    expect(await order("")).toEqual(["a", "b", "c"]);
    expect(await order("name desc")).toEqual(["c", "b", "a"]);
    expect(await order("createTime")).toEqual(["c", "a", "b"]);
    expect(await order("createTime desc")).toEqual(["b", "a", "c"]);
  });

  it("refuses a page size that is not a whole number of at least 0", async () => {
    const { fake } = await start({ jobs: numbered(1) });
    for (const size of ["abc", "1.5", "-1", ""]) {
      const response = await send(
        fake,
        "GET",
        `/v1/accounts/acme/rlorTrainerJobs?pageSize=${size}`,
      );
      expect(response).toMatchObject({ status: 400, body: { code: 3 } });
    }
  });
});
