// (being written) — see the issue for what this family holds.

import { defineCommands } from "./command.ts";

export const debugCommands = defineCommands("server", []);
