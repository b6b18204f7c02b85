/** Median and spread of a sample; the spread is what a reader needs to trust a ratio. */
export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

export type Comparison = Record<string, Summary & { ratio: number }>;

/** Each contestant's summary with its median as a ratio of the baseline's median. */
export function compare(samples: Record<string, readonly number[]>, baseline: string): Comparison {
  const floor = summarize(samples[baseline] ?? []).median;
  const result: Comparison = {};
  for (const [name, values] of Object.entries(samples)) {
    const summary = summarize(values);
    result[name] = { ...summary, ratio: summary.median / floor };
  }
  return result;
}

/** Runs every contestant once per round, interleaved, so machine drift hits them alike. */
export async function interleave<T extends string>(
  names: readonly T[],
  rounds: number,
  measure: (name: T) => number | Promise<number>,
): Promise<Record<T, number[]>> {
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    T,
    number[]
  >;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) samples[name].push(await measure(name));
  }
  return samples;
}
