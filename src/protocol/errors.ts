// Exact Redis 7.0 error texts, as sent to clients (without the leading "-" and trailing CRLF).
// Depends on nothing. Handlers and dispatch compare against and reply with these constants.

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const SYNTAX = "ERR syntax error";
export const NOT_INTEGER = "ERR value is not an integer or out of range";
export const NOT_FLOAT = "ERR value is not a valid float";
export const NO_SUCH_KEY = "ERR no such key";
export const OUT_OF_RANGE = "ERR index out of range";
export const INVALID_DB = "ERR DB index is out of range";
export const OVERFLOW = "ERR increment or decrement would overflow";
export const NAN_OR_INF = "ERR increment would produce NaN or Infinity";
export const BIT_OFFSET = "ERR bit offset is not an integer or out of range";
export const BIT_VALUE = "ERR bit is not an integer or out of range";
export const STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
export const NOAUTH = "NOAUTH Authentication required.";
export const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
export const NOPERM_AUTH_NO_PASSWORD =
  "ERR AUTH <password> called without any password configured for the default user. " +
  "Are you sure your configuration is correct?";
export const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
export const MULTI_NESTED = "ERR MULTI calls can not be nested";
export const EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
export const DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
export const WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed";
export const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
export const SAME_OBJECT = "ERR source and destination objects are the same";
export const TIMEOUT_NEGATIVE = "ERR timeout is negative";
export const TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
export const UNKNOWN_SUBCOMMAND_PREFIX = "ERR unknown subcommand";
export const PUBSUB_CONTEXT_PREFIX = "ERR Can't execute";

/** `ERR wrong number of arguments for 'get' command` (name as the client sent it, lowered). */
export function arityError(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

/** `ERR invalid expire time in 'set' command` */
export function invalidExpireError(name: string): string {
  return `ERR invalid expire time in '${name}' command`;
}

/** Redis replaces CR/LF with spaces in text it echoes back inside an error. */
export function sanitizeForError(s: string): string {
  return s.replace(/[\r\n]/g, " ");
}

/**
 * `ERR unknown command 'x', with args beginning with: 'a' 'b' ` (Redis 7.0 format: each argument
 * quoted and followed by a space; arguments are added while the list is under 128 bytes, each cut
 * to the room left).
 */
export function unknownCommandError(name: string, args: string[]): string {
  let list = "";
  for (const a of args) {
    if (list.length >= 128) break;
    list += `'${cstr(a).slice(0, 128 - list.length)}' `;
  }
  return sanitizeForError(
    `ERR unknown command '${cstr(name).slice(0, 128)}', with args beginning with: ${list}`,
  );
}

/** Redis formats these texts with %s: an argument ends at its first NUL byte. */
function cstr(s: string): string {
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
}

/** addReplySubcommandSyntaxError: a known subcommand with arguments it does not take. */
export function subcommandSyntaxError(sub: string, container: string): string {
  return sanitizeForError(
    `ERR unknown subcommand or wrong number of arguments for '${cstr(sub).slice(0, 128)}'. Try ${
      cstr(container).toUpperCase()
    } HELP.`,
  );
}

/** `ERR unknown subcommand 'x'. Try CONFIG HELP.` */
export function unknownSubcommandError(sub: string, container: string): string {
  return sanitizeForError(
    `ERR unknown subcommand '${cstr(sub).slice(0, 128)}'. Try ${cstr(container).toUpperCase()} HELP.`,
  );
}
