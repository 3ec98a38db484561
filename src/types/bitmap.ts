// (being written) — see the issue for what this family holds.

import { defineCommands } from "../server/command.ts";

export const bitmapCommands = defineCommands("bitmap", []);
