// Every command family, listed explicitly (no self-registration). Adding a family means adding
// it here; the table-consistency test compares the resulting names with a checked-in list.

import type { CommandFamily } from "./command.ts";
import { connectionCommands } from "./connection.ts";
import { slowlogCommands } from "./slowlog.ts";
import { transactionCommands } from "../transactions/multi.ts";
import { stringCommands } from "../types/string.ts";

export const FAMILIES: CommandFamily[] = [
  connectionCommands,
  slowlogCommands,
  transactionCommands,
  stringCommands,
];
