import { describe, expect, it } from "vitest";
import {
  type FireworksClient,
  FireworksError,
  iterateRlorTrainerJobCheckpoints,
  iterateRlorTrainerJobs,
} from "../../src/index.js";
import { clientOf, type FaultServer, json, useFaultServer } from "../helpers/fault-server.js";

// A server whose page tokens cycle must not keep a list going forever. Each test scripts a few
// pages more than the pager should read; the fault server's fallback (a job, with no token) then
// ends the list, so a pager that does not stop ends without an error instead of hanging.

let server: FaultServer;
let client: FireworksClient;
useFaultServer((started) => {
  server = started;
  client = clientOf(server);
});

const jobPage = (ids: string[], nextPageToken: string) =>
  json(200, {
    rlorTrainerJobs: ids.map((id) => ({ name: `accounts/acme/rlorTrainerJobs/${id}` })),
    nextPageToken,
  });

/** The items read, and the error the list ended with. */
async function drain(list: AsyncIterable<{ name?: string | undefined }>) {
  const names: (string | undefined)[] = [];
  try {
    for await (const item of list) names.push(item.name?.split("/").pop());
    return { names, error: undefined };
  } catch (error) {
    return { names, error };
  }
}

function tokensSent(): (string | null)[] {
  return server.requests.map((request) =>
    new URL(request.url, server.url).searchParams.get("pageToken"),
  );
}

describe("a pager stops a server whose page tokens loop", () => {
  it("A -> B -> A: each job once, then PaginationLoopError naming the token and the pages", async () => {
    server.script(
      jobPage(["j1"], "A"),
      jobPage(["j2"], "B"),
      jobPage(["j3"], "A"),
      jobPage(["j2"], "B"),
      jobPage(["j3"], "A"),
    );
    const { names, error } = await drain(iterateRlorTrainerJobs(client));
    expect(names).toEqual(["j1", "j2", "j3"]);
    expect(error).toBeInstanceOf(FireworksError);
    expect(error).toMatchObject({
      name: "PaginationLoopError",
      pageToken: "A",
      pages: 3,
      message: 'The server sent page token "A" again after 3 pages; stopping the list',
    });
    expect(tokensSent()).toEqual([null, "A", "B"]);
  });

  it("a cycle back to the caller's own starting token", async () => {
    server.script(jobPage(["j1"], "B"), jobPage(["j2"], "start"), jobPage(["j1"], "B"));
    const { names, error } = await drain(
      iterateRlorTrainerJobs(client, undefined, { pageToken: "start" }),
    );
    expect(names).toEqual(["j1", "j2"]);
    expect(error).toMatchObject({ name: "PaginationLoopError", pageToken: "start", pages: 2 });
  });

  it("a long cycle of long tokens, on the checkpoint pager too; the message quotes the token short", async () => {
    // Within the 16 KB request head node:http accepts; the pager itself stores none of it.
    const token = (i: number) => `${"t".repeat(4_000)}-${i}`;
    const page = (i: number, next: number) =>
      json(200, { checkpoints: [{ name: `c${i}` }], nextPageToken: token(next) });
    server.script(page(0, 1), page(1, 2), page(2, 3), page(3, 4), page(4, 2), page(2, 3));
    const { names, error } = await drain(iterateRlorTrainerJobCheckpoints(client, "job-1"));
    expect(names).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    expect(error).toMatchObject({ name: "PaginationLoopError", pageToken: token(2), pages: 5 });
    expect((error as Error).message.length).toBeLessThan(200);
  });

  it("empty pages that each carry a token: three in a row are followed, a fourth stops the list", async () => {
    server.script(
      jobPage(["j1"], "e1"),
      jobPage([], "e2"),
      jobPage([], "e3"),
      jobPage([], "e4"),
      jobPage([], "e5"),
      jobPage([], "e6"),
      jobPage([], "e7"),
    );
    const { names, error } = await drain(iterateRlorTrainerJobs(client));
    expect(names).toEqual(["j1"]);
    expect(error).toMatchObject({
      name: "PaginationLoopError",
      pageToken: "e5",
      pages: 5,
      message:
        'The server sent 4 empty pages in a row, the last with page token "e5", after 5 pages; stopping the list',
    });
    expect(server.requests).toHaveLength(5);
  });

  it("three empty pages in a row, then jobs: the whole list, no error", async () => {
    server.script(
      jobPage([], "e1"),
      jobPage([], "e2"),
      jobPage([], "e3"),
      jobPage(["j1"], "n1"),
      jobPage([], "e4"),
      jobPage(["j2"], ""),
    );
    const { names, error } = await drain(iterateRlorTrainerJobs(client));
    expect({ names, error }).toEqual({ names: ["j1", "j2"], error: undefined });
  });
});
