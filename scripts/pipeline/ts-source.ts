// Building generated TypeScript with ts-morph from structures, text in and text out. ts-morph's
// printStructure writes a structure's text without a Project: no source file is parsed from it,
// which creating one in a Project did (half of the emit stage).
import { createRequire } from "node:module";
import type {
  FunctionDeclarationStructure,
  InterfaceDeclarationStructure,
  StatementStructures,
} from "ts-morph";
import { commentText } from "./source-text.js";

// Required, not imported: Node scans a CommonJS file an ES module imports for its export names
// (cjs-module-lexer), ~0.35 s of every generation for ts-morph's 1 MB.
const { printStructure, StructureKind } = createRequire(import.meta.url)(
  "ts-morph",
) as typeof import("ts-morph");

export type Statement = string | StatementStructures;
export type { FunctionDeclarationStructure, InterfaceDeclarationStructure };
export { StructureKind };

/** Comment lines stay within Biome's 100 columns, which Biome itself does not wrap. */
const DOC_WIDTH = 90;

/** Words joined into lines of at most DOC_WIDTH characters (a longer word gets a line of its own). */
function wrap(paragraph: string): string {
  const lines: string[] = [];
  let line = "";
  // Escaped word by word: whitespace, line breaks among it, only ever separates words.
  for (const word of paragraph
    .split(/\s+/)
    .filter((w) => w !== "")
    .map(commentText)) {
    if (line !== "" && line.length + 1 + word.length > DOC_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return [...lines, line].join("\n");
}

function docText(parts: (string | undefined)[]): string {
  return parts
    .filter((part): part is string => part !== undefined && part.trim() !== "")
    .flatMap((part) => part.trim().split(/\n\s*\n/))
    .map(wrap)
    .join("\n\n");
}

/** A JSDoc block from paragraphs; ts-morph adds the ` * ` prefixes. */
export function docs(...parts: (string | undefined)[]): { description: string }[] {
  const text = docText(parts);
  return text === "" ? [] : [{ description: text }];
}

/** A JSDoc comment as text, for statements written as text. */
export function docLine(text: string | undefined): string {
  const body = docText([text]);
  if (body === "") return "";
  if (!body.includes("\n") && body.length <= DOC_WIDTH - 7) return `/** ${body} */\n`;
  return `/**\n${body
    .split("\n")
    .map((line) => ` * ${line}`.trimEnd())
    .join("\n")}\n */\n`;
}

/** The source text of a module made of `statements` (unformatted: Biome formats every file). */
export function printModule(statements: readonly Statement[]): string {
  // Text statements get the blank line before them that structures get from ts-morph.
  const spaced = statements.map((s, i) => (typeof s === "string" && i > 0 ? `\n${s}` : s));
  return printStructure(
    { kind: StructureKind.SourceFile, statements: spaced },
    { indentNumberOfSpaces: 2, newLine: "\n" },
  );
}
