/** The command word of a message, as every chat front end writes commands. */

/**
 * The command word of `<prefix>word` or `<prefix>word@name`, lower case; null when the text is
 * not a command or is addressed to another bot than `username`.
 */
export function commandName (head: string, prefix: string, username?: string): string | null {
  if (!head.startsWith(prefix)) return null
  const m = /^([^\s@]+)(?:@(\S+))?$/.exec(head.slice(prefix.length))
  if (m === null) return null
  if (m[2] !== undefined && (username === undefined || m[2].toLowerCase() !== username.toLowerCase())) return null
  return m[1]!.toLowerCase()
}
