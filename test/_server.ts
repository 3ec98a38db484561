// withServer: start a real server in-process (on this runtime) on a free port, hand the test a
// connected client, and tear everything down afterwards.

import { startServer, type RunningServer } from "../src/mod.ts";
import { RespClient } from "./_resp_client.ts";

export interface ServerCtx {
  port: number;
  srv: RunningServer;
  /** A client connected for the test (closed at the end). */
  r: RespClient;
  /** Open another client (closed at the end). */
  client(): Promise<RespClient>;
}

export async function withServer(
  config: Record<string, string | number | boolean>,
  fn: (ctx: ServerCtx) => Promise<void>,
): Promise<void> {
  const srv = await startServer({ config });
  const clients: RespClient[] = [];
  const client = async () => {
    const c = await RespClient.connect(srv.port);
    clients.push(c);
    return c;
  };
  try {
    const r = await client();
    await fn({ port: srv.port, srv, r, client });
  } finally {
    for (const c of clients) c.close();
    await srv.close();
  }
}
