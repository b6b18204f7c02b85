import { describe, expect, it } from "vitest";
import { send, useFake } from "./fake-setup.js";

const start = useFake();
const probePath = (job: string, account = "acme") =>
  `/training/v1/rlorTrainerJobs/${account}/${job}/api/v1/healthz`;

describe("fake server: the trainer's health route", () => {
  it("answers 404 for notReadyProbes probes once the job is RUNNING, then 200; again after each return to RUNNING", async () => {
    const { fake } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 2 }],
    });
    const statuses = async (count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i += 1)
        seen.push((await send(fake, "GET", probePath("job-1"))).status);
      return seen;
    };
    expect(await statuses(4)).toEqual([404, 404, 200, 200]);
    fake.setJobState("job-1", "JOB_STATE_PAUSED");
    expect(await statuses(2)).toEqual([404, 404]);
    fake.setJobState("job-1", "JOB_STATE_RUNNING");
    expect(await statuses(3)).toEqual([404, 404, 200]);
  });

  it("takes the server's notReadyProbes by default, and probes are not reads of the job", async () => {
    const { fake } = await start({ notReadyProbes: 1, jobs: [{ id: "job-1", resumed: true }] });
    // A resumed job moves on with each GET of it; probes leave it where it is.
    expect((await send(fake, "GET", probePath("job-1"))).status).toBe(404);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_PAUSED");
    fake.setJobState("job-1", "JOB_STATE_RUNNING");
    expect((await send(fake, "GET", probePath("job-1"))).status).toBe(404);
    expect((await send(fake, "GET", probePath("job-1"))).body).toEqual({ status: "ok" });
  });

  it("checks the key, the account and the job", async () => {
    const { fake } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const noKey = await fetch(`${fake.baseUrl}${probePath("job-1")}`);
    expect(noKey.status).toBe(401);
    expect((await send(fake, "GET", probePath("job-1", "other"))).status).toBe(403);
    expect((await send(fake, "GET", probePath("job-2"))).status).toBe(404);
    expect((await send(fake, "GET", probePath("job-1"))).status).toBe(200);
  });
});
