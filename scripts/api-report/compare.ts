// What changed between two versions of the API reports, and which changes break users.
//
// The declarations of both versions (each report's ```ts block) become modules of one in-memory
// TypeScript program, and the checker compares them export by export:
//   - an export or a field (of an interface, a type alias, a class; nested ones too) that is gone
//     breaks users;
//   - a function breaks users when an old call no longer compiles or its result no longer fits what
//     callers expect: a parameter narrowed (a union value removed, an optional field now required,
//     …), a parameter removed or newly required, the return type widened. The same holds for
//     constructors and methods.
//   - other changes (added exports and fields, widened parameters, narrowed returns, changed types
//     that only show through the functions that use them) are listed, not counted as breaking.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TS from "typescript";

/**
 * The TypeScript API Extractor runs on (it depends on its own version, beside the project's): the
 * comparisons use it too, so `npm run api:check` loads one compiler, not two (~1 CPU-s), and they
 * can reuse the library files API Extractor's program has parsed and bound (`shareLibraryFiles`).
 * The comparison only asks the checker about declaration files, which both versions read alike.
 */
const ts = createRequire(createRequire(import.meta.url).resolve("@microsoft/api-extractor"))(
  "typescript",
) as typeof TS;

/**
 * Library files (lib.*.d.ts, @types/node, openapi-fetch) by path, parsed and bound once per
 * process: most of a comparison's program (@types/node alone is ~0.6 CPU-s to parse) and the same
 * in every comparison. Programs share them as the language service does; they do not change while
 * a command or a test runs.
 */
const libraryFiles = new Map<string, TS.SourceFile>();

/**
 * Offers the files of API Extractor's program (a `ts.Program` of the same compiler, typed
 * `unknown` by API Extractor) to the comparisons that follow: same options, same files.
 */
export function shareLibraryFiles(program: TS.Program): void {
  for (const file of program.getSourceFiles()) libraryFiles.set(file.fileName, file);
}

/** Whether a file parsed for one program suits another: same language version and module format. */
function suits(file: TS.SourceFile, wanted: TS.ScriptTarget | TS.CreateSourceFileOptions): boolean {
  return typeof wanted === "number"
    ? file.languageVersion === wanted
    : file.languageVersion === wanted.languageVersion &&
        file.impliedNodeFormat === wanted.impliedNodeFormat;
}

export interface ReportText {
  /** The entry point's subpath, "." or "./testing". */
  subpath: string;
  /** The report's Markdown. */
  contents: string;
}

export interface ApiChange {
  subpath: string;
  /** The export, or a member of it: `RlorTrainerJob.displayName`. */
  path: string;
  kind: "added" | "removed" | "changed";
  breaking: boolean;
  /** What changed, for people. */
  detail: string;
}

/** The declarations in a report: its ```ts block. */
export function reportDeclarations(markdown: string): string {
  const start = markdown.indexOf("```ts\n");
  const end = markdown.lastIndexOf("\n```");
  if (start < 0 || end < start) throw new Error("no ```ts block in the API report");
  return markdown.slice(start + "```ts\n".length, end);
}

const UNIQUE_SYMBOL = /^(export )?(?:declare )?const (\w+): unique symbol;$/gm;
// `import type { … }` when the sources import types only, as they do: API Extractor keeps the `type`.
const OPENAPI_FETCH_IMPORT = /^import (type )?\{ ([^}]*) \} from 'openapi-fetch';$/m;

/**
 * openapi-fetch's `Client<Paths>`, the raw client under FireworksClient (`client.GET(…)`), is not
 * compared: relating two real ones costs the checker seconds (its methods are deep conditional
 * types), and as a parameter it would flag every function whenever any path changed, though users
 * only ever pass the client the package made. Operations show through the generated functions
 * and the exported types instead.
 */
const CLIENT_STAND_IN = "interface Client<_Paths> {}";

/**
 * A report as a declaration module. A `unique symbol` is a different type in each copy, which
 * would make every type keyed by it incompatible with its old self: those come from one shared
 * module. `export {}` keeps non-exported declarations out of the module's exports.
 */
function asModule(declarations: string, sharedSymbols: Set<string>): string {
  const text = declarations
    .replace(UNIQUE_SYMBOL, (_line, exported: string | undefined, name: string) => {
      sharedSymbols.add(name);
      return `import { ${name} } from "../shared.js";${exported ? ` export { ${name} };` : ""}`;
    })
    .replace(OPENAPI_FETCH_IMPORT, (line, type: string | undefined, names: string) => {
      const others = names
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "Client");
      if (others.length === names.split(",").length) return line;
      const rest =
        others.length > 0
          ? `import ${type ?? ""}{ ${others.join(", ")} } from 'openapi-fetch';\n`
          : "";
      return `${rest}${CLIENT_STAND_IN}`;
    });
  return `${text}\nexport {};\n`;
}

/** Compares two sets of reports; `root` is where node_modules resolve (openapi-fetch, @types/node). */
export function compareReports(
  root: string,
  before: readonly ReportText[],
  after: readonly ReportText[],
): ApiChange[] {
  const dir = join(root, "__api_compare__");
  const files = new Map<string, string>();
  const sharedSymbols = new Set<string>();
  const fileOf = (side: "old" | "new", index: number) => join(dir, side, `entry${index}.d.ts`);
  const subpaths = [...new Set([...before, ...after].map((report) => report.subpath))];
  subpaths.forEach((subpath, index) => {
    for (const [side, reports] of [
      ["old", before],
      ["new", after],
    ] as const) {
      const report = reports.find((candidate) => candidate.subpath === subpath);
      const text = report
        ? asModule(reportDeclarations(report.contents), sharedSymbols)
        : "export {};\n";
      files.set(fileOf(side, index), text);
    }
  });
  files.set(
    join(dir, "shared.d.ts"),
    [...sharedSymbols].map((name) => `export declare const ${name}: unique symbol;\n`).join(""),
  );

  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.directoryExists = (name) =>
    name === dir || name.startsWith(`${dir}/`) || (directoryExists?.(name) ?? true);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    const known = libraryFiles.get(name);
    if (known !== undefined && suits(known, languageVersion)) return known;
    const file = getSourceFile(name, languageVersion, onError, shouldCreate);
    if (file !== undefined) libraryFiles.set(name, file);
    return file;
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const checker = program.getTypeChecker();
  const comparer = new Comparer(checker, dir);

  return subpaths.flatMap((subpath, index) => {
    const exportsOf = (side: "old" | "new") => {
      const file = program.getSourceFile(fileOf(side, index));
      const symbol = file && checker.getSymbolAtLocation(file);
      const exports = symbol ? checker.getExportsOfModule(symbol) : [];
      return new Map(exports.map((item) => [item.name, resolveAlias(checker, item)]));
    };
    return comparer.compareModules(subpath, exportsOf("old"), exportsOf("new"));
  });
}

function resolveAlias(checker: TS.TypeChecker, symbol: TS.Symbol): TS.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The declaration's text without comments or layout, to notice edits the checker forgives. */
function declarationText(symbol: TS.Symbol): string {
  return (symbol.declarations ?? [])
    .map((declaration) => {
      const printer = ts.createPrinter({ removeComments: true });
      return printer.printNode(ts.EmitHint.Unspecified, declaration, declaration.getSourceFile());
    })
    .join("\n");
}

const MAX_DEPTH = 6;

interface Found extends ApiChange {
  /** The member's declaration: a field inherited or reached by several paths shows once. */
  origin: TS.Node | undefined;
}

/** Of the changes found for one declaration, the one at the shortest path (its own type's). */
function dedupe(found: readonly Found[]): ApiChange[] {
  const best = new Map<string, Found>();
  const rank = (change: Found) => {
    const owner = ownerName(change.origin);
    return [
      change.path.split(".").length,
      owner === change.path.split(".")[0] ? 0 : 1,
      change.path.length,
    ];
  };
  const better = (a: Found, b: Found) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (const [index, value] of ra.entries()) {
      const other = rb[index] ?? 0;
      if (value !== other) return value < other;
    }
    return a.path < b.path;
  };
  const origins = new Map<TS.Node, number>();
  found.forEach((change, index) => {
    const id = change.origin === undefined ? `#${index}` : `${originId(origins, change.origin)}`;
    const key = `${change.subpath}|${id}|${change.kind}|${change.breaking}|${change.detail}`;
    const current = best.get(key);
    if (current === undefined || better(change, current)) best.set(key, change);
  });
  return [...best.values()].map(({ origin: _origin, ...change }) => change);
}

function originId(ids: Map<TS.Node, number>, node: TS.Node): number {
  const id = ids.get(node) ?? ids.size;
  ids.set(node, id);
  return id;
}

/** The interface, class or type alias a member is declared in. */
function ownerName(node: TS.Node | undefined): string | undefined {
  for (let current = node?.parent; current !== undefined; current = current.parent) {
    if (
      ts.isInterfaceDeclaration(current) ||
      ts.isClassDeclaration(current) ||
      ts.isTypeAliasDeclaration(current)
    ) {
      return current.name?.text;
    }
  }
  return undefined;
}

class Comparer {
  private readonly changes: Found[] = [];
  private subpath = ".";
  private origin: TS.Node | undefined;
  private readonly checker: TS.TypeChecker;
  private readonly dir: string;

  constructor(checker: TS.TypeChecker, dir: string) {
    this.checker = checker;
    this.dir = dir;
  }

  compareModules(
    subpath: string,
    before: ReadonlyMap<string, TS.Symbol>,
    after: ReadonlyMap<string, TS.Symbol>,
  ): ApiChange[] {
    this.subpath = subpath;
    this.changes.length = 0;
    for (const [name, symbol] of after) {
      if (!before.has(name)) this.add(name, "added", false, `${kindOf(symbol)} added`);
    }
    for (const [name, old] of before) {
      const current = after.get(name);
      if (current === undefined) this.add(name, "removed", true, `${kindOf(old)} removed`);
      else this.compareExport(name, old, current);
    }
    return dedupe(this.changes).sort((a, b) => a.path.localeCompare(b.path));
  }

  private add(path: string, kind: ApiChange["kind"], breaking: boolean, detail: string): void {
    this.changes.push({ subpath: this.subpath, path, kind, breaking, detail, origin: this.origin });
  }

  private compareExport(name: string, old: TS.Symbol, current: TS.Symbol): void {
    const before = this.changes.length;
    const isValue = (symbol: TS.Symbol) => (symbol.flags & ts.SymbolFlags.Value) !== 0;
    const isType = (symbol: TS.Symbol) => (symbol.flags & ts.SymbolFlags.Type) !== 0;
    if (isValue(old) && !isValue(current)) this.add(name, "changed", true, "no longer a value");
    if (isType(old) && !isType(current)) this.add(name, "changed", true, "no longer a type");

    if (isValue(old) && isValue(current)) {
      const oldType = this.checker.getTypeOfSymbol(old);
      const newType = this.checker.getTypeOfSymbol(current);
      if (old.flags & ts.SymbolFlags.Class) {
        this.compareSignatures(name, oldType, newType, ts.SignatureKind.Construct, "constructor");
        this.compareMembers(name, oldType, newType, 0, new Set(["prototype"]), true);
      } else {
        this.compareValue(name, oldType, newType);
      }
    }
    if (isType(old) && isType(current)) {
      const oldType = this.checker.getDeclaredTypeOfSymbol(old);
      const newType = this.checker.getDeclaredTypeOfSymbol(current);
      this.compareUnionValues(name, oldType, newType);
      // A class's instances are what users get (errors they catch): a widened field breaks them.
      const outputs = (old.flags & ts.SymbolFlags.Class) !== 0;
      this.compareMembers(name, oldType, newType, 0, new Set(), outputs);
    }
    if (this.changes.length === before && declarationText(old) !== declarationText(current)) {
      this.add(name, "changed", false, "declaration changed, compatibly");
    }
  }

  private assignable(source: TS.Type, target: TS.Type): boolean {
    return this.checker.isTypeAssignableTo(source, target);
  }

  private show(type: TS.Type): string {
    const text = this.checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  /** " from A to B", or, when both print alike, where to look. */
  private fromTo(oldType: TS.Type, newType: TS.Type): string {
    const [before, after] = [this.show(oldType), this.show(newType)];
    return before === after ? ` (${after}: see its changes)` : ` from ${before} to ${after}`;
  }

  /** A function, a constant or a method: old uses must still compile. */
  private compareValue(path: string, oldType: TS.Type, newType: TS.Type): void {
    const oldCalls = oldType.getCallSignatures();
    const newCalls = newType.getCallSignatures();
    if (oldCalls.length > 0 && newCalls.length > 0) {
      this.compareSignatures(path, oldType, newType, ts.SignatureKind.Call, "call");
      return;
    }
    const base = (type: TS.Type) => this.checker.getBaseTypeOfLiteralType(type);
    if (
      oldType.isLiteral() &&
      newType.isLiteral() &&
      this.assignable(base(newType), base(oldType))
    ) {
      if (this.show(oldType) !== this.show(newType)) {
        this.add(
          path,
          "changed",
          false,
          `value ${this.show(oldType)} is now ${this.show(newType)}`,
        );
      }
      return;
    }
    if (!this.assignable(newType, oldType)) {
      this.add(
        path,
        "changed",
        true,
        `type widened from ${this.show(oldType)} to ${this.show(newType)}`,
      );
    } else if (!this.assignable(oldType, newType)) {
      this.add(
        path,
        "changed",
        false,
        `type narrowed from ${this.show(oldType)} to ${this.show(newType)}`,
      );
    }
  }

  private compareSignatures(
    path: string,
    oldType: TS.Type,
    newType: TS.Type,
    kind: TS.SignatureKind,
    what: string,
  ): void {
    const oldSignatures = this.checker.getSignaturesOfType(oldType, kind);
    const newSignatures = this.checker.getSignaturesOfType(newType, kind);
    const [oldSignature] = oldSignatures;
    const [newSignature] = newSignatures;
    if (oldSignature === undefined) return;
    if (newSignature === undefined) {
      this.add(path, "changed", true, `no longer has a ${what} signature`);
      return;
    }
    const generic = (signature: TS.Signature) => (signature.getTypeParameters()?.length ?? 0) > 0;
    if (
      oldSignatures.length > 1 ||
      newSignatures.length > 1 ||
      generic(oldSignature) ||
      generic(newSignature)
    ) {
      // Overloads and type parameters: only the checker can relate the whole signatures.
      if (kind === ts.SignatureKind.Call && !this.assignable(newType, oldType)) {
        this.add(path, "changed", true, `${what} signature no longer fits the old one`);
      }
      return;
    }
    const found = this.changes.length;
    const oldParams = oldSignature.getParameters();
    const newParams = newSignature.getParameters();
    for (const [index, oldParam] of oldParams.entries()) {
      const newParam = newParams[index];
      if (newParam === undefined) {
        if (!hasRest(newSignature)) {
          this.add(path, "changed", true, `${what}: parameter \`${oldParam.name}\` removed`);
        }
        continue;
      }
      const oldParamType = this.checker.getTypeOfSymbol(oldParam);
      const newParamType = this.checker.getTypeOfSymbol(newParam);
      if (!this.assignable(oldParamType, newParamType)) {
        this.add(
          path,
          "changed",
          true,
          `${what}: parameter \`${newParam.name}\` narrowed${this.fromTo(oldParamType, newParamType)}`,
        );
      } else if (!this.assignable(newParamType, oldParamType)) {
        this.add(path, "changed", false, `${what}: parameter \`${newParam.name}\` widened`);
      }
    }
    if (required(newSignature) > required(oldSignature)) {
      const names = newParams.slice(required(oldSignature), required(newSignature));
      this.add(
        path,
        "changed",
        true,
        `${what}: parameter ${names.map((param) => `\`${param.name}\``).join(", ")} now required`,
      );
    }
    for (const param of newParams.slice(oldParams.length)) {
      if (newParams.indexOf(param) >= required(newSignature)) {
        this.add(path, "changed", false, `${what}: optional parameter \`${param.name}\` added`);
      }
    }
    if (kind === ts.SignatureKind.Call) {
      const oldReturn = oldSignature.getReturnType();
      const newReturn = newSignature.getReturnType();
      if (!this.assignable(newReturn, oldReturn)) {
        this.add(path, "changed", true, `return type widened${this.fromTo(oldReturn, newReturn)}`);
      } else if (!this.assignable(oldReturn, newReturn)) {
        this.add(path, "changed", false, "return type narrowed");
      }
      // Anything else the checker refuses (type parameters, `this` types, …).
      if (this.changes.length === found && !this.assignable(newType, oldType)) {
        this.add(path, "changed", true, `${what} signature no longer fits the old one`);
      }
    }
  }

  /** A union of literals (an enum in the spec): values removed and added. */
  private compareUnionValues(path: string, oldType: TS.Type, newType: TS.Type): void {
    const values = (type: TS.Type) =>
      type.isUnion() && type.types.every((member) => member.isLiteral())
        ? new Set(type.types.map((member) => this.show(member)))
        : undefined;
    const oldValues = values(oldType);
    const newValues = values(newType);
    if (oldValues === undefined || newValues === undefined) return;
    const removed = [...oldValues].filter((value) => !newValues.has(value));
    const added = [...newValues].filter((value) => !oldValues.has(value));
    // Whether a removed value breaks users depends on where the type is used: the functions that
    // take it as a parameter report it.
    if (removed.length > 0)
      this.add(path, "changed", false, `values removed: ${removed.join(", ")}`);
    if (added.length > 0) this.add(path, "changed", false, `values added: ${added.join(", ")}`);
  }

  /** Fields and methods by name, then their types; nested object types too. */
  private compareMembers(
    path: string,
    oldType: TS.Type,
    newType: TS.Type,
    depth: number,
    skip: ReadonlySet<string>,
    outputs = false,
  ): void {
    if (depth > MAX_DEPTH || !this.isOwnObjectType(oldType) || !this.isOwnObjectType(newType)) {
      return;
    }
    const newMembers = new Map(this.checker.getPropertiesOfType(newType).map((m) => [m.name, m]));
    const oldMembers = new Map(this.checker.getPropertiesOfType(oldType).map((m) => [m.name, m]));
    const outer = this.origin;
    for (const [name, member] of newMembers) {
      if (!oldMembers.has(name) && !skip.has(name)) {
        this.origin = member.declarations?.[0];
        this.add(`${path}.${name}`, "added", false, `${memberKind(member)} added`);
      }
    }
    for (const [name, oldMember] of oldMembers) {
      if (skip.has(name)) continue;
      this.origin = oldMember.declarations?.[0];
      const newMember = newMembers.get(name);
      const memberPath = `${path}.${name}`;
      if (newMember === undefined) {
        this.add(memberPath, "removed", true, `${memberKind(oldMember)} removed`);
        continue;
      }
      const oldMemberType = this.checker.getTypeOfSymbol(oldMember);
      const newMemberType = this.checker.getTypeOfSymbol(newMember);
      if (oldMemberType.getCallSignatures().length > 0) {
        this.compareSignatures(
          memberPath,
          oldMemberType,
          newMemberType,
          ts.SignatureKind.Call,
          "method",
        );
        continue;
      }
      const optional = (member: TS.Symbol) => (member.flags & ts.SymbolFlags.Optional) !== 0;
      if (optional(oldMember) !== optional(newMember)) {
        this.add(
          memberPath,
          "changed",
          false,
          optional(newMember) ? "now optional" : "now required",
        );
      }
      const [oldInner, newInner, suffix] = this.elementTypes(oldMemberType, newMemberType);
      const found = this.changes.length;
      this.compareUnionValues(memberPath, oldInner, newInner);
      if (this.isOwnObjectType(oldInner) && this.isOwnObjectType(newInner)) {
        this.compareMembers(
          `${memberPath}${suffix}`,
          oldInner,
          newInner,
          depth + 1,
          new Set(),
          outputs,
        );
        continue;
      }
      const widened = !this.assignable(newMemberType, oldMemberType);
      if (outputs && widened) {
        this.add(
          memberPath,
          "changed",
          true,
          `type widened${this.fromTo(oldMemberType, newMemberType)}`,
        );
      } else if (
        this.changes.length === found &&
        (widened || !this.assignable(oldMemberType, newMemberType))
      ) {
        this.add(memberPath, "changed", false, `type${this.fromTo(oldMemberType, newMemberType)}`);
      }
    }
    this.origin = outer;
  }

  /** `T | null | undefined` → T; `T[]` → T (with "[]" for the path). */
  private elementTypes(oldType: TS.Type, newType: TS.Type): [TS.Type, TS.Type, string] {
    const oldInner = this.checker.getNonNullableType(oldType);
    const newInner = this.checker.getNonNullableType(newType);
    if (this.checker.isArrayType(oldInner) && this.checker.isArrayType(newInner)) {
      const [oldElement] = this.checker.getTypeArguments(oldInner as TS.TypeReference);
      const [newElement] = this.checker.getTypeArguments(newInner as TS.TypeReference);
      if (oldElement && newElement) return [oldElement, newElement, "[]"];
    }
    return [oldInner, newInner, ""];
  }

  /**
   * An object type of the API itself (an interface, class or type literal of the reports, or one
   * built from them such as `Omit<…> & {…}`), not a library's (Promise, AbortSignal, Error).
   */
  private isOwnObjectType(type: TS.Type): boolean {
    if (type.isUnion() || !(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) {
      return false;
    }
    if (type.getCallSignatures().length > 0 || this.checker.isArrayType(type)) return false;
    const symbol = type.getSymbol();
    const named = symbol && symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface);
    if (!named) return true;
    return (symbol.declarations ?? []).some((declaration) =>
      dirname(declaration.getSourceFile().fileName).startsWith(this.dir),
    );
  }
}

function parametersOf(signature: TS.Signature): readonly TS.ParameterDeclaration[] {
  return signature.getDeclaration()?.parameters ?? [];
}

/** How many arguments a call must pass. */
function required(signature: TS.Signature): number {
  const parameters = parametersOf(signature);
  const optional = (parameter: TS.ParameterDeclaration) =>
    parameter.questionToken !== undefined ||
    parameter.initializer !== undefined ||
    parameter.dotDotDotToken !== undefined;
  let count = parameters.length;
  while (count > 0 && optional(parameters[count - 1] as TS.ParameterDeclaration)) count--;
  return count;
}

function hasRest(signature: TS.Signature): boolean {
  return parametersOf(signature).some((parameter) => parameter.dotDotDotToken !== undefined);
}

function kindOf(symbol: TS.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Variable) return "constant";
  return "export";
}

function memberKind(symbol: TS.Symbol): string {
  return symbol.flags & ts.SymbolFlags.Method ? "method" : "field";
}
