// Puts the bench's Markdown between the README's markers, leaving everything else as it is.
export const START = "<!-- bench:start (written by `npm run bench:readme`; do not edit) -->";
export const END = "<!-- bench:end -->";

export function replaceBenchSection(readme: string, body: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${body.trim()}\n${readme.slice(end)}`;
}
