// Builds a Server from redis-server style arguments or an options object. Used by main.ts (the
// CLI) and mod.ts (the embed API); knows nothing about which runtime it runs on.

import { Config, type ConfigExtras, ConfigLoadError, loadConfigText } from "../config.ts";
import type { Runtime } from "../runtime/types.ts";
import { FAMILIES } from "./families.ts";
import { Server, type ServerOptions } from "./server.ts";
import { REDIS_VERSION } from "./connection.ts";

/** Quote an argument for a config line (sdscatrepr style). */
function quoteArg(a: string): string {
  if (a !== "" && !/[\s"'\\]/.test(a) && /^[\x21-\x7e]+$/.test(a)) return a;
  let s = '"';
  for (const ch of a) {
    const c = ch.charCodeAt(0);
    if (ch === "\\" || ch === '"') s += "\\" + ch;
    else if (ch === "\n") s += "\\n";
    else if (ch === "\r") s += "\\r";
    else if (ch === "\t") s += "\\t";
    else if (c < 32 || c > 126) s += "\\x" + c.toString(16).padStart(2, "0");
    else s += ch;
  }
  return s + '"';
}

/**
 * redis-server argv: [configfile] [--name value ...]. Options after the file become config
 * lines ("--port 6380" -> "port 6380"); a value may span several words until the next "--".
 */
export function argvToConfigText(args: string[]): { file: string | null; text: string } {
  let i = 0;
  let file: string | null = null;
  if (args.length > 0 && !args[0].startsWith("--")) {
    file = args[0];
    i = 1;
  }
  const lines: string[] = [];
  let cur: string[] | null = null;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--") && a.length > 2) {
      if (cur) lines.push(cur.join(" "));
      cur = [a.slice(2)];
    } else if (cur) {
      cur.push(quoteArg(a));
    } else {
      throw new ConfigArgError(`Invalid argument '${a}': options must start with --`);
    }
  }
  if (cur) lines.push(cur.join(" "));
  return { file, text: lines.join("\n") };
}

export class ConfigArgError extends Error {}

/** Format a config error the way redis-server prints it before exiting. */
export function formatConfigError(e: ConfigLoadError): string {
  return [
    "",
    `*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***`,
    `Reading the configuration file, at line ${e.line}`,
    `>>> '${e.text}'`,
    e.error,
  ].join("\n");
}

export interface BuildOptions {
  runtime: Runtime;
  /** Config file contents and/or argv-derived lines, applied in order. */
  texts: string[];
  configFile?: string | null;
  onShutdown?: (code: number) => void;
  logSink?: (line: string) => void;
  ephemeralPort?: boolean;
}

/** Build a configured (not yet started) server. Throws ConfigLoadError-shaped objects. */
export function buildServer(o: BuildOptions): Server {
  const cfg = new Config(o.runtime.cwd());
  cfg.setConfigFile(o.configFile ?? null);
  const extra: ConfigExtras = { renames: [], users: [] };
  for (const t of o.texts) {
    loadConfigText(cfg, t, extra, (p) => new TextDecoder().decode(o.runtime.readFileSync(p)));
  }
  const dir = cfg.str("dir");
  if (dir !== o.runtime.cwd()) {
    const st = o.runtime.statSync(dir);
    if (!st || !st.isDirectory) {
      throw new ConfigLoadError(0, `dir ${dir}`, "No such file or directory");
    }
    cfg.values.set("dir", o.runtime.realPathSync(dir));
  }
  const opts: ServerOptions = {
    runtime: o.runtime,
    config: cfg,
    families: FAMILIES,
    renames: extra.renames,
    onShutdown: o.onShutdown,
    logSink: o.logSink,
    configFile: o.configFile ?? null,
    ephemeralPort: o.ephemeralPort,
  };
  return new Server(opts);
}
