/**
 * Summarises a V8 .cpuprofile: self time per function and per file (top entries), so a profile
 * can be read without DevTools. Usage: node --import tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: profile-summary.ts <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function tally(key: (node: ProfileNode) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us > 0) sums.set(key(node), (sums.get(key(node)) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, top);
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/main\//, "");
}

function print(title: string, rows: [string, number][]): void {
  console.log(`\n${title}`);
  for (const [name, us] of rows) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)} % ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
}

/** Time of the samples with the function anywhere on their stack, each sample counted once. */
function inclusive(): [string, number][] {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node);
  }
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let node = byId.get(id); node !== undefined; node = parent.get(node.id)) {
      const name = label(node);
      if (!seen.has(name)) {
        seen.add(name);
        sums.set(name, (sums.get(name) ?? 0) + us);
      }
    }
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, top);
}

function label(n: ProfileNode): string {
  return `${n.callFrame.functionName || "(anonymous)"}  ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
}

print("total (inclusive) time by function", inclusive());
print("self time by function", tally(label));
print(
  "self time by file",
  tally((n) => shortUrl(n.callFrame.url) || `(${n.callFrame.functionName})`),
);
