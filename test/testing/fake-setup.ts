import { afterEach } from "vitest";
import { createFireworksClient, type FireworksClient } from "../../src/index.js";
import {
  type FakeFireworks,
  type FakeFireworksOptions,
  startFakeFireworks,
} from "../../src/testing/index.js";

/**
 * Starts fakes for the tests of one file and closes each after its test. `start` returns the fake
 * with a client on it that never retries, so one call is one request.
 */
export function useFake(): (
  options?: FakeFireworksOptions,
  starter?: (options: FakeFireworksOptions) => Promise<FakeFireworks>,
) => Promise<{ fake: FakeFireworks; client: FireworksClient }> {
  const started: FakeFireworks[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (options = {}, starter = startFakeFireworks) => {
    const fake = await starter({ accountId: "acme", ...options });
    started.push(fake);
    const client = createFireworksClient({
      apiKey: fake.apiKey,
      accountId: fake.accountId,
      baseUrl: fake.baseUrl,
      maxRetries: 0,
    });
    return { fake, client };
  };
}

/** A request as sent, byte for byte, with the fake's key: for what the library would refuse to send. */
export async function send(
  fake: FakeFireworks,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, body: await response.json() };
}
