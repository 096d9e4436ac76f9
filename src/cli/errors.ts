// Errors every command may throw, in a module of their own: main.ts needs them before it loads any command.

/** A mistake in how the command was called or what it was given: exit 2, one line. */
export class UsageError extends Error {
  /** Whether pointing at the command's --help can help (not for an unreachable cluster). */
  readonly aboutUsage: boolean = true;
}
