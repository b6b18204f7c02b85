/**
 * Per-call profiling aid (not part of `npm run bench`'s table):
 *   node --import tsx scripts/bench/profile.ts                  per-call comparison only, quick
 *   node --cpu-prof --cpu-prof-dir=.bench/prof --import tsx scripts/bench/profile.ts fireworks-rlor 20000
 * The second form loops one contestant so the CPU profile shows only its cost; open the
 * .cpuprofile in Chrome DevTools or summarise it with scripts/bench/profile-summary.ts.
 */
import { type Call, contestants, measurePerCall, startJobServer } from "./per-call.js";

async function loopOne(name: string, calls: number): Promise<void> {
  const { server, baseUrl } = await startJobServer();
  try {
    const call = contestants(baseUrl)[name] as Call | undefined;
    if (call === undefined) throw new Error(`Unknown contestant ${JSON.stringify(name)}`);
    for (let i = 0; i < calls; i++) await call();
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const [name, calls] = process.argv.slice(2);
if (name === undefined) {
  const result = await measurePerCall();
  for (const [contestant, s] of Object.entries(result.contestants)) {
    console.log(
      `${contestant}: ${s.median.toFixed(1)} µs (${s.min.toFixed(1)}–${s.max.toFixed(1)}) ${s.ratio.toFixed(3)}×`,
    );
  }
} else {
  await loopOne(name, Number(calls ?? 20_000));
}
