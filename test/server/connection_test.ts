// Connection-level behaviour: CLIENT PAUSE/UNPAUSE, CLIENT REPLY, AUTH, WATCH edge cases,
// SLOWLOG redaction and CONFIG SET details, each checked over a real socket as Redis 7.0 does it.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runtimeName, test } from "../_harness.ts";
import { errorOf, RespClient, RespError } from "../_resp_client.ts";
import { withServer } from "../_server.ts";
import { startServer } from "../../src/mod.ts";

const T = `connection (${runtimeName})`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function infoField(r: RespClient, section: string, field: string): Promise<string> {
  const text = String(await r.call("INFO", section));
  const m = new RegExp(`^${field}:(.*)$`, "m").exec(text);
  assert.ok(m, `no ${field} in INFO ${section}`);
  return m[1].trim();
}

test(`${T}: CLIENT UNPAUSE inside MULTI does not run held clients inside the transaction`, async () => {
  await withServer({}, async ({ r, client }) => {
    await r.call("SET", "k", "old");
    await r.call("CLIENT", "PAUSE", "10000", "WRITE");
    const b = await client();
    const held = b.call("SET", "k", "new");
    await sleep(50);
    assert.equal(await infoField(r, "clients", "blocked_clients"), "1");
    await r.call("MULTI");
    await r.call("CLIENT", "UNPAUSE");
    await r.call("GET", "k");
    const res = await r.call("EXEC") as unknown[];
    assert.equal(String(res[1]), "old");
    assert.equal(String(await held), "OK");
    assert.equal(String(await r.call("GET", "k")), "new");
  });
});

test(`${T}: CLIENT REPLY SKIP then CLIENT UNPAUSE keeps the reply stream intact`, async () => {
  await withServer({}, async ({ r }) => {
    r.writeRaw("PING\r\nCLIENT REPLY SKIP\r\nCLIENT UNPAUSE\r\nPING x\r\n");
    assert.equal(String(await r.read()), "PONG");
    assert.equal(String(await r.read()), "x");
    await sleep(30);
    assert.equal(r.takeRaw(), "");
  });
});

test(`${T}: pauses combine (stricter type, later end) and a paused client shows flag b`, async () => {
  await withServer({}, async ({ r, client }) => {
    const b = await client();
    await r.call("CLIENT", "PAUSE", "10000", "WRITE");
    const held = b.call("SET", "foo", "bar");
    await sleep(50);
    assert.match(String(await r.call("CLIENT", "LIST")), /flags=b .*cmd=set/);
    await r.call("CLIENT", "UNPAUSE");
    assert.equal(String(await held), "OK");
    // WRITE for 600 ms, then ALL for 100 ms: ALL lasts until the later end
    const t0 = Date.now();
    await r.call("CLIENT", "PAUSE", "600", "WRITE");
    await r.call("CLIENT", "PAUSE", "100", "ALL");
    await sleep(300);
    assert.equal(String(await b.call("GET", "foo")), "bar");
    assert.ok(Date.now() - t0 >= 550, "a read ran while the combined pause should hold it");
    // a zero-length pause is over at once
    await r.call("CLIENT", "PAUSE", "0", "WRITE");
    assert.equal(String(await b.call("SET", "foo", "baz")), "OK");
  });
});

test(`${T}: deleting a WATCHed key that was already expired does not fail EXEC`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async ({ r }) => {
    await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    await r.call("SET", "x", "foo", "PX", "1");
    await sleep(10);
    await r.call("WATCH", "x");
    assert.equal(await r.call("EXISTS", "x"), 0); // lazy expiry deletes it
    await r.call("MULTI");
    await r.call("PING");
    assert.deepEqual((await r.call("EXEC") as unknown[]).map(String), ["PONG"]);
    // a live watched key that is touched still fails it
    await r.call("SET", "y", "1");
    await r.call("WATCH", "y");
    await r.call("DEL", "y");
    await r.call("MULTI");
    await r.call("PING");
    assert.equal(await r.call("EXEC"), null);
  });
});

test(`${T}: authentication follows requirepass as it changes, and caps unauthenticated input`, async () => {
  await withServer({}, async ({ r, client }) => {
    await r.call("CONFIG", "SET", "requirepass", "pw");
    const a = await client();
    assert.match(await errorOf(a.call("PING")), /^NOAUTH/);
    assert.equal(String(await r.call("AUTH", "pw")), "OK");
    await r.call("CONFIG", "SET", "requirepass", "");
    assert.equal(String(await a.call("PING")), "PONG");
    await r.call("CONFIG", "SET", "requirepass", "pw");
    const big = await client();
    big.writeRaw("*21\r\n" + "$4\r\nPING\r\n".repeat(21));
    const err = await big.read();
    assert.ok(err instanceof RespError);
    assert.equal(err.message, "ERR Protocol error: unauthenticated multibulk length");
    await big.waitClosed();
    await r.call("CONFIG", "SET", "requirepass", "");
  });
});

test(`${T}: a non-ASCII password set from the config works over AUTH, CONFIG GET returns its bytes`, async () => {
  await withServer({ requirepass: "pässwörd" }, async ({ client }) => {
    const a = await client();
    assert.match(await errorOf(a.call("PING")), /^NOAUTH/);
    assert.equal(String(await a.call("AUTH", new TextEncoder().encode("pässwörd"))), "OK");
    await a.call("CONFIG", "SET", "masterauth", new TextEncoder().encode("é"));
    const got = await a.call("CONFIG", "GET", "masterauth") as unknown[];
    // the reply carries the two UTF-8 bytes of "é" (this client shows bytes as latin1)
    assert.equal(String(got[1]), "\xc3\xa9");
  });
});

test(`${T}: SLOWLOG and MONITOR hide passwords`, async () => {
  await withServer({}, async ({ r, client }) => {
    const mon = await client();
    await mon.call("MONITOR");
    await r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
    await r.call("AUTH", "default", "s3cret");
    await r.call("HELLO", "2", "AUTH", "default", "s3cret");
    const entries = await r.call("SLOWLOG", "GET", "2") as unknown[][];
    const shown = entries.map((e) => (e[3] as unknown[]).map(String).join(" "));
    assert.deepEqual(shown, ["HELLO 2 AUTH (redacted) (redacted)", "AUTH (redacted) (redacted)"]);
    await sleep(50);
    const feed = mon.takeRaw();
    assert.ok(!feed.includes("s3cret"), feed);
    assert.ok(feed.includes('"(redacted)"'), feed);
    // CONFIG is an admin command: not fed to MONITOR, but its sensitive values are redacted
    await r.call("CONFIG", "SET", "masterauth", "topsecret", "maxmemory-samples", "5");
    const cfg = (await r.call("SLOWLOG", "GET", "1") as unknown[][])[0][3] as unknown[];
    assert.deepEqual(cfg.map(String), ["CONFIG", "SET", "masterauth", "(redacted)", "maxmemory-samples", "5"]);
  });
});

test(`${T}: CLIENT REPLY OFF drops the late reply of a served BLPOP`, async () => {
  await withServer({}, async ({ r, client }) => {
    const b = await client();
    b.writeRaw("CLIENT REPLY OFF\r\nBLPOP bl 0\r\n");
    await sleep(50);
    await r.call("RPUSH", "bl", "v");
    await sleep(50);
    b.writeRaw("CLIENT REPLY ON\r\n");
    assert.equal(String(await b.read()), "OK");
    assert.equal(b.takeRaw(), "");
  });
});

test(`${T}: CONFIG SET bind on the same port keeps clients and accepts new ones`, async () => {
  await withServer({}, async ({ r, port }) => {
    assert.equal(String(await r.call("CONFIG", "SET", "bind", "127.0.0.1")), "OK");
    assert.equal(String(await r.call("PING")), "PONG");
    await sleep(50);
    const c = await RespClient.connect(port);
    assert.equal(String(await c.call("PING")), "PONG");
    c.close();
  });
});

test(`${T}: client-output-buffer-limit changes only the classes given`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 1mb 0");
    await r.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 2mb 2mb 0");
    const v = await r.call("CONFIG", "GET", "client-output-buffer-limit") as unknown[];
    assert.equal(String(v[1]), "normal 1048576 1048576 0 slave 268435456 67108864 60 pubsub 2097152 2097152 0");
  });
});

test(`${T}: argument errors as Redis words them (CONFIG SET precedence, SELECT range, CLIENT arity)`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(
      await errorOf(r.call("CONFIG", "SET", "daemonize", "yes", "foo", "bar")),
      "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
    );
    assert.equal(
      await errorOf(r.call("CONFIG", "SET", "maxmemory", "1", "maxmemory", "2", "daemonize", "yes")),
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter",
    );
    assert.equal(await errorOf(r.call("CONFIG", "SET", "maxmemory", "1", "foo")), "ERR syntax error");
    assert.equal(
      await errorOf(r.call("SELECT", "3000000000")),
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    );
    assert.equal(
      await errorOf(r.call("CLIENT", "UNBLOCK", "1", "timeout", "extra")),
      "ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.",
    );
  });
});

test(`${T}: inside EXEC the client is still in MULTI state (flag x)`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("MULTI");
    await r.call("CLIENT", "INFO");
    const [info] = await r.call("EXEC") as unknown[];
    assert.match(String(info), /flags=x /);
    assert.match(String(await r.call("CLIENT", "INFO")), /flags=N /);
  });
});

test(`${T}: a unixsocket path that is a directory is never deleted`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rts-"));
  const sub = path.join(dir, "sub");
  fs.mkdirSync(sub);
  fs.writeFileSync(path.join(sub, "keep"), "x");
  try {
    await assert.rejects(startServer({ config: { unixsocket: sub } }));
    assert.ok(fs.existsSync(path.join(sub, "keep")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
