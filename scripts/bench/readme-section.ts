// Puts the bench's Markdown between the performance page's markers, leaving the rest as it is.

/** The page whose table `npm run bench:readme` writes. */
export const PERFORMANCE_PAGE = "docs/performance.md";
export const START = "<!-- bench:start (written by `npm run bench:readme`; do not edit) -->";
export const END = "<!-- bench:end -->";

export function replaceBenchSection(readme: string, body: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`The page has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${body.trim()}\n${readme.slice(end)}`;
}
