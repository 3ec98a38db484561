// Command-table consistency: every spec is runnable, arities and key positions agree, flags do
// not contradict each other, syntax lines parse, and the set of command names equals the
// checked-in test/server/command_names.txt (so added or dropped commands show up in diffs).
// Regenerate the list with: UPDATE_COMMAND_NAMES=1 bun test test/server/table_test.ts

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "../_harness.ts";
import { FAMILIES } from "../../src/server/families.ts";
import { CommandTable } from "../../src/server/command_table.ts";
import {
  ACL_CATEGORIES,
  type Command,
  type DocArg,
  MAY_REPLICATE,
  parseSyntax,
  READONLY,
  WRITE,
} from "../../src/server/command.ts";
import { keyInfo } from "../../src/server/introspection.ts";

const table = new CommandTable(FAMILIES);
const all: Command[] = table.all();
const NAMES_FILE = new URL("./command_names.txt", import.meta.url);

const KEY_FLAGS = new Set([
  "RO",
  "RW",
  "OW",
  "RM",
  "access",
  "update",
  "insert",
  "delete",
  "not_key",
  "incomplete",
  "variable_flags",
]);

test("every command has a handler, or subcommands that all have handlers", () => {
  for (const c of all) {
    if (c.parent === null && c.subs) {
      assert.ok(c.subs.size > 0, `${c.fullName}: container without subcommands`);
      continue;
    }
    assert.equal(typeof c.handler, "function", `${c.fullName}: no handler`);
    assert.equal(c.subs, null, `${c.fullName}: subcommands nest only one level`);
  }
});

test("arity is never 0 and subcommand arities count the container name", () => {
  for (const c of all) {
    assert.notEqual(c.arity, 0, `${c.fullName}: arity 0`);
    if (c.parent) assert.ok(Math.abs(c.arity) >= 2, `${c.fullName}: subcommand arity below 2`);
  }
});

test("no command is both WRITE and READONLY, or both WRITE and MAY_REPLICATE", () => {
  for (const c of all) {
    assert.ok(!((c.flags & WRITE) && (c.flags & READONLY)), `${c.fullName}: WRITE and READONLY`);
    assert.ok(
      !((c.flags & WRITE) && (c.flags & MAY_REPLICATE)),
      `${c.fullName}: WRITE and MAY_REPLICATE`,
    );
  }
});

test("key positions fit the arity", () => {
  for (const c of all) {
    const minArgs = Math.abs(c.arity);
    const k = c.keys;
    if (k && k.first !== 0) {
      assert.ok(k.first > 0 && k.step > 0, `${c.fullName}: bad key range`);
      assert.ok(k.first < minArgs, `${c.fullName}: first key ${k.first} beyond arity ${c.arity}`);
      if (k.last >= 0) {
        assert.ok(k.last >= k.first, `${c.fullName}: last key before first key`);
        assert.ok(k.last < minArgs, `${c.fullName}: last key ${k.last} beyond arity ${c.arity}`);
      } else if (c.arity > 0) {
        assert.ok(c.arity + k.last >= k.first, `${c.fullName}: last key before first key`);
      }
    }
    for (const spec of keyInfo(c).specs) {
      for (const f of spec.flags) {
        assert.ok(KEY_FLAGS.has(f), `${c.fullName}: unknown key flag ${f}`);
      }
      if (typeof spec.bs === "object" && "index" in spec.bs) {
        assert.ok(spec.bs.index > 0, `${c.fullName}: key spec index ${spec.bs.index}`);
        assert.ok(
          spec.bs.index < minArgs || spec.flags.includes("incomplete"),
          `${c.fullName}: key spec index ${spec.bs.index} beyond arity ${c.arity}`,
        );
      }
      if (typeof spec.fk === "object" && "lastkey" in spec.fk) {
        assert.ok(spec.fk.keystep > 0, `${c.fullName}: key step ${spec.fk.keystep}`);
      }
    }
  }
});

test("commands with keys declare key flags, and key flag names are Redis's", () => {
  for (const c of all) {
    for (const f of c.keyFlags ?? []) {
      assert.ok(KEY_FLAGS.has(f), `${c.fullName}: unknown key flag ${f}`);
    }
    if ((c.keys && c.keys.first > 0) || c.getKeys || c.keySpecs) {
      const specs = keyInfo(c).specs;
      assert.ok(specs.length > 0, `${c.fullName}: keys but no key spec`);
      for (const s of specs) {
        const access = s.flags.filter((f) => ["RO", "RW", "OW", "RM"].includes(f));
        assert.ok(
          access.length === 1 || s.flags.includes("not_key"),
          `${c.fullName}: needs one of RO/RW/OW/RM`,
        );
      }
    }
  }
});

function _checkArgs(name: string, args: DocArg[]): void {
  for (const a of args) {
    assert.ok(a.name.length > 0, `${name}: empty argument name`);
    assert.ok(!/^[[\]()|]$|^\.\.\.$/.test(a.name), `${name}: stray "${a.name}" in syntax`);
    assert.ok(
      ["key", "string", "integer", "double", "pattern", "unix-time", "pure-token", "oneof", "block"]
        .includes(a.type),
      `${name}: argument type ${a.type}`,
    );
    if (a.type === "oneof" || a.type === "block") {
      assert.ok((a.args ?? []).length > 0, `${name}: empty ${a.type} ${a.name}`);
      _checkArgs(name, a.args ?? []);
    }
  }
}

test("syntax lines parse into well-formed argument trees", () => {
  for (const c of all) {
    if (c.syntax === undefined) continue;
    const opens = (c.syntax.match(/[[(]/g) ?? []).length;
    const closes = (c.syntax.match(/[\])]/g) ?? []).length;
    assert.equal(opens, closes, `${c.fullName}: unbalanced brackets in "${c.syntax}"`);
    const args = parseSyntax(c.syntax);
    assert.ok(args.length > 0, `${c.fullName}: syntax "${c.syntax}" gives no arguments`);
    _checkArgs(c.fullName, args);
  }
});

test("ACL categories are Redis's and every command is @fast or @slow", () => {
  for (const c of all) {
    for (const a of c.acls) {
      assert.ok((ACL_CATEGORIES as readonly string[]).includes(a), `${c.fullName}: @${a}`);
    }
    assert.ok(c.acls.includes("fast") !== c.acls.includes("slow"), `${c.fullName}: fast xor slow`);
    assert.ok(c.summary.length > 0 && c.since.length > 0, `${c.fullName}: summary and since`);
  }
});

test("command names equal the checked-in list (test/server/command_names.txt)", () => {
  const names = all.map((c) => c.fullName).sort();
  assert.equal(new Set(names).size, names.length, "duplicate command names");
  const text = names.join("\n") + "\n";
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env;
  if (env?.UPDATE_COMMAND_NAMES === "1") writeFileSync(NAMES_FILE, text);
  const want = readFileSync(NAMES_FILE, "utf8").split("\n").filter((l) => l !== "");
  const added = names.filter((n) => !want.includes(n));
  const dropped = want.filter((n) => !names.includes(n));
  assert.deepEqual(
    { added, dropped },
    { added: [], dropped: [] },
    "the command table changed: update test/server/command_names.txt (UPDATE_COMMAND_NAMES=1)",
  );
});
