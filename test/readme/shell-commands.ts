import type { ReadmeBlock } from "./readme-blocks.js";

/** The commands a README shell block may use; anything else is refused so it gets a check. */
export type ShellCommand =
  | { kind: "npm-ci" }
  | { kind: "npm-test" }
  | { kind: "npm-run"; script: string }
  | { kind: "npm-install"; name: string }
  | { kind: "export"; env: Record<string, string> }
  | {
      kind: "cli";
      /** The words after `fireworks-rlor`, without a stdout redirect. */
      args: string[];
      /** A usage line with `<placeholders>` and `[optional parts]`, not a command to run. */
      synopsis: boolean;
      stdoutRedirected: boolean;
    };

/** One command line of a block and, in a console block, the output shown under it. */
export interface ShellStep {
  line: string;
  commands: ShellCommand[];
  output: string[];
}

const CLI = "fireworks-rlor";

function parseExport(words: readonly string[], line: string): ShellCommand {
  const env: Record<string, string> = {};
  for (const word of words) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word);
    if (!match) throw new Error(`cannot read export "${word}" in: ${line}`);
    const [, name = "", value = ""] = match;
    env[name] = value;
  }
  return { kind: "export", env };
}

function parseCli(words: readonly string[]): ShellCommand {
  const redirect = words.indexOf(">");
  const args = redirect === -1 ? [...words] : words.slice(0, redirect);
  return {
    kind: "cli",
    args,
    synopsis: args.some((word) => /[<>[\]]/.test(word)),
    stdoutRedirected: redirect !== -1,
  };
}

function parseNpm(words: readonly string[], line: string): ShellCommand {
  const [verb, target] = words;
  if (words.length === 1 && verb === "ci") return { kind: "npm-ci" };
  if (words.length === 1 && verb === "test") return { kind: "npm-test" };
  if (verb === "run" && target !== undefined) return { kind: "npm-run", script: target };
  if (verb === "install" && target !== undefined && words.length === 2) {
    return { kind: "npm-install", name: target };
  }
  throw new Error(`unrecognized npm command: ${line}`);
}

/** Parses one shell command line (commands joined by `&&`). */
export function parseCommandLine(line: string): ShellCommand[] {
  return line.split("&&").map((part) => {
    const [program, ...words] = part.trim().split(/\s+/);
    if (program === "npm") return parseNpm(words, line);
    if (program === CLI) return parseCli(words);
    if (program === "export") return parseExport(words, line);
    throw new Error(`unrecognized command "${program}" in: ${line}`);
  });
}

/**
 * The steps of a `sh` block (every non-blank, non-comment line is a command) or a `console`
 * block (`$ ` lines are commands, the lines under one are its output).
 */
export function shellSteps(block: ReadmeBlock): ShellStep[] {
  const steps: ShellStep[] = [];
  for (const text of block.code.split("\n")) {
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const command = block.lang === "console" ? /^\$ (.*)$/.exec(text)?.[1] : text;
    if (command !== undefined) {
      steps.push({ line: command, commands: parseCommandLine(command), output: [] });
      continue;
    }
    const previous = steps.at(-1);
    if (!previous) throw new Error(`${block.file} line ${block.line}: output before any command`);
    previous.output.push(text);
  }
  return steps;
}
