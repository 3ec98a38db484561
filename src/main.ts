// Start-up: parse redis-server style arguments and redis.conf, pick the runtime adapter, start
// the server, and exit on SHUTDOWN or SIGTERM/SIGINT.
//   bun run src/main.ts [/path/to/redis.conf] [--port 6380] [--save ""] ...

import { loadRuntime } from "./runtime/mod.ts";
import {
  argvToConfigText,
  buildServer,
  ConfigArgError,
  formatConfigError,
} from "./server/bootstrap.ts";
import { REDIS_VERSION } from "./server/connection.ts";
import { ConfigLoadError } from "./config.ts";
import type { Server } from "./server/server.ts";

const rt = await loadRuntime();
const args = rt.args();

if (args[0] === "-v" || args[0] === "--version") {
  console.log(
    `Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=arena bits=64 build=${rt.name}`,
  );
  rt.exit(0);
}
if (args[0] === "-h" || args[0] === "--help") {
  console.log(
    [
      "Usage: bun run server [/path/to/redis.conf] [options]",
      "       deno task server [/path/to/redis.conf] [options]",
      "       bun run server -v or --version",
      "",
      "Examples:",
      "       bun run server (run the server with default conf)",
      "       bun run server /etc/redis/6379.conf",
      "       bun run server --port 7777",
      '       bun run server --port 7777 --save "" --appendonly no',
    ].join("\n"),
  );
  rt.exit(0);
}

function build(): Server {
  try {
    const { file, text } = argvToConfigText(args);
    const texts: string[] = [];
    if (file !== null) texts.push(new TextDecoder().decode(rt.readFileSync(file)));
    texts.push(text);
    return buildServer({
      runtime: rt,
      texts,
      configFile: file !== null ? rt.realPathSync(file) : null,
      onShutdown: (code) => setTimeout(() => rt.exit(code), 10),
    });
  } catch (e) {
    if (e instanceof ConfigArgError) console.error(e.message);
    else if (e instanceof ConfigLoadError) console.error(formatConfigError(e));
    else console.error(`Fatal error loading the configuration: ${(e as Error).message ?? e}`);
    return rt.exit(1);
  }
}
const server = build();

try {
  await server.start();
} catch (e) {
  console.error((e as Error).message);
  rt.exit(1);
}
const pidfile = server.config.str("pidfile");
if (pidfile) rt.writeFileSync(pidfile, new TextEncoder().encode(`${rt.pid()}\n`));
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  rt.onSignal(sig, () => {
    server.log("warning", `Received ${sig} scheduling shutdown...`);
    server.shutdown(0);
  });
}
