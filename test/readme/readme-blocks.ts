/** A fenced code block of the README or a docs/ page, with where it is. */
export interface ReadmeBlock {
  /** The page, relative to the project: `README.md`, `docs/errors.md`. */
  file: string;
  /** The fence's info string, e.g. "ts" ("" when none). */
  lang: string;
  /** The text of the nearest heading above it. */
  heading: string;
  /** 1-based line of the opening fence in `file`. */
  line: number;
  /** Which block of that language under that heading it is (1-based). */
  ordinal: number;
  code: string;
}

const FENCE = /^(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^#{1,6}\s+(.*?)\s*#*\s*$/;

/** The fenced code blocks of a Markdown page, in order. An unclosed fence is an error. */
export function readmeBlocks(markdown: string, file = "README.md"): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  const seen = new Map<string, number>();
  let heading = "";
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? "";
    const headingMatch = HEADING.exec(text);
    if (headingMatch) heading = headingMatch[1] ?? "";
    const fence = FENCE.exec(text);
    if (!fence) continue;
    const [, marker = "", lang = ""] = fence;
    const closing = new RegExp(`^${marker[0]}{${marker.length},}$`);
    const close = lines.findIndex((candidate, at) => at > index && closing.test(candidate.trim()));
    if (close === -1) throw new Error(`${file} line ${index + 1}: unclosed code fence`);
    const key = `${heading}\u0000${lang}`;
    const ordinal = (seen.get(key) ?? 0) + 1;
    seen.set(key, ordinal);
    blocks.push({
      file,
      lang,
      heading,
      line: index + 1,
      ordinal,
      code: lines.slice(index + 1, close).join("\n"),
    });
    index = close;
  }
  return blocks;
}
