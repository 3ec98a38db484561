// The command table: imports each family's declarations explicitly (no self-registration),
// builds Command entries and a case-insensitive lookup over raw name bytes.

import { type Command, type CommandFamily, buildCommand } from "./command.ts";

/** FNV-1a over ASCII-lowercased bytes. */
function _nameHash(b: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    let c = b[off + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class CommandTable {
  /** Top-level commands by lowercase name. */
  readonly byName = new Map<string, Command>();
  private readonly byHash = new Map<number, { name: Uint8Array; cmd: Command }[]>();

  constructor(families: CommandFamily[]) {
    for (const fam of families) {
      for (const def of fam.defs) this.add(buildCommand(def, fam.group, null));
    }
  }

  add(cmd: Command): void {
    if (this.byName.has(cmd.name)) throw new Error(`Duplicate command "${cmd.name}"`);
    this.byName.set(cmd.name, cmd);
    const name = new TextEncoder().encode(cmd.name);
    const h = _nameHash(name, 0, name.length);
    const list = this.byHash.get(h) ?? [];
    list.push({ name, cmd });
    this.byHash.set(h, list);
  }

  /** Remove a command (rename-command with an empty name). */
  remove(name: string): Command | undefined {
    const cmd = this.byName.get(name);
    if (!cmd) return undefined;
    this.byName.delete(name);
    const enc = new TextEncoder().encode(name);
    const h = _nameHash(enc, 0, enc.length);
    const list = (this.byHash.get(h) ?? []).filter((e) => e.cmd !== cmd);
    if (list.length) this.byHash.set(h, list);
    else this.byHash.delete(h);
    return cmd;
  }

  /** rename-command old new ("" removes it). */
  rename(from: string, to: string): boolean {
    const cmd = this.remove(from.toLowerCase());
    if (!cmd) return false;
    if (to !== "") {
      cmd.name = to.toLowerCase();
      this.add(cmd);
    }
    return true;
  }

  /** Case-insensitive lookup of a top-level command by its name bytes. HOT PATH. */
  lookup(b: Uint8Array, off: number, len: number): Command | undefined {
    const list = this.byHash.get(_nameHash(b, off, len));
    if (list === undefined) return undefined;
    for (let k = 0; k < list.length; k++) {
      const n = list[k].name;
      if (n.length !== len) continue;
      let ok = true;
      for (let i = 0; i < len; i++) {
        let c = b[off + i];
        if (c >= 65 && c <= 90) c |= 0x20;
        if (c !== n[i]) {
          ok = false;
          break;
        }
      }
      if (ok) return list[k].cmd;
    }
    return undefined;
  }

  /** Every command and subcommand. */
  all(): Command[] {
    const out: Command[] = [];
    for (const c of this.byName.values()) {
      out.push(c);
      if (c.subs) for (const s of c.subs.values()) out.push(s);
    }
    return out;
  }
}
