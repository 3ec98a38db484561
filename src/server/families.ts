// Every command family, listed explicitly (no self-registration). Adding a family means adding
// it here; the table-consistency test compares the resulting names with a checked-in list.

import type { CommandFamily } from "./command.ts";
import { connectionCommands } from "./connection.ts";
import { slowlogCommands } from "./slowlog.ts";
import { transactionCommands } from "../transactions/multi.ts";
import { stringCommands } from "../types/string.ts";
import { configCommands } from "./config_cmd.ts";
import { adminCommands } from "./admin.ts";
import { bitmapCommands } from "../types/bitmap.ts";
import { keyspaceCommands } from "../types/keyspace.ts";
import { infoCommands } from "./info.ts";
import { introspectionCommands } from "./introspection.ts";
import { debugCommands } from "./debug.ts";
import { memoryCommands } from "./memory_cmd.ts";
import { listCommands } from "../types/list.ts";
import { hashCommands } from "../types/hash.ts";
import { setCommands } from "../types/set.ts";
import { zsetCommands } from "../types/zset/mod.ts";
import { sortCommands } from "../types/sort.ts";
import { streamCommands } from "../types/stream/mod.ts";

export const FAMILIES: CommandFamily[] = [
  connectionCommands,
  slowlogCommands,
  transactionCommands,
  stringCommands,
  configCommands,
  adminCommands,
  bitmapCommands,
  keyspaceCommands,
  infoCommands,
  introspectionCommands,
  debugCommands,
  memoryCommands,
  listCommands,
  hashCommands,
  setCommands,
  zsetCommands,
  sortCommands,
  streamCommands,
];
