import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../generated/operation-table.js";
import {
  COMMANDS,
  type CommandSpec,
  commandFlags,
  findCommand,
} from "../../src/cli/command-table.js";
import { commandHelp, globalHelp } from "../../src/cli/help.js";
import { runInProcess } from "./in-process.js";

describe("commands from the operation table", () => {
  it("has a command for every operation, with its summary and query parameters as flags", () => {
    for (const operation of OPERATIONS) {
      const command = COMMANDS.find((each) => each.operation === operation);
      expect(command, operation.operationId).toBeDefined();
      expect(command?.summary).toBe(operation.summary);
      expect(command?.queryFlags.map((flag) => flag.param)).toEqual(
        operation.query.map((entry) => entry.name),
      );
    }
  });

  it("takes jobs or the account as the operation's resource says", () => {
    expect(findCommand("list")?.target).toBe("account");
    expect(findCommand("create")?.target).toBe("account");
    for (const name of ["get", "resume", "cancel", "delete", "train-step", "checkpoints", "logs"]) {
      expect(findCommand(name)?.target, name).toBe("jobs");
    }
    expect(findCommand("ls")?.name).toBe("list");
  });

  it("names query flags after the parameters: kebab-case, create's id as --job-id", () => {
    const flags = (name: string) => findCommand(name)?.queryFlags.map((flag) => flag.name);
    expect(flags("list")).toEqual(["page-size", "page-token", "filter", "order-by", "read-mask"]);
    expect(flags("create")).toEqual(["job-id", "training-shape"]);
    expect(flags("get")).toEqual(["read-mask"]);
  });
});

function command(name: string): CommandSpec {
  const found = findCommand(name);
  if (found === undefined) throw new Error(`no command ${name}`);
  return found;
}

describe("help", () => {
  it("lists every command with its summary, the global flags and exit codes", () => {
    const help = globalHelp();
    for (const command of COMMANDS) expect(help).toContain(`  ${command.name} `);
    for (const text of [
      "--request-timeout",
      "--dry-run",
      "FIREWORKS_API_KEY",
      "HTTPS_PROXY",
      "130",
    ]) {
      expect(help).toContain(text);
    }
  });

  it("per command: its summary, usage and flags with the spec's descriptions", () => {
    const list = commandHelp(command("list"));
    expect(list).toContain("fireworks-rlor list (alias: ls): List Reinforcement Fine-tuning Steps");
    expect(list).toMatch(/--page-size <n> +The maximum number of fine-tuning jobs to return\./);
    expect(list).toMatch(/--order-by <order-by> +A comma-separated list of fields to order by\./);
    const resume = commandHelp(command("resume"));
    expect(resume).toMatch(/--poll-interval <dur> +Time between polls [\s\S]*10 requests a minute/);
  });

  it("--until says what each command takes: any states, RUNNING or READY (create), READY (reconnect)", () => {
    const until = (name: string) =>
      commandFlags(command(name), []).find((flag) => flag.name === "until")?.description;
    expect(until("wait")).toMatch(/COMPLETED,FAILED.*READY/);
    expect(until("create")).toMatch(/^RUNNING \(the default\) or READY/);
    expect(until("reconnect")).toMatch(/^READY, the default and the only target/);
  });

  it.each([[["resume", "--help"]], [["help", "resume"]]])(
    "%j prints resume's help",
    async (args) => {
      const result = await runInProcess(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(commandHelp(command("resume")));
    },
  );
});
