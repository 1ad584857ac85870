import { ActionPin } from './action-pin';

/**
 * The effective pin table: the shipped pins, then the overrides (the last one wins per action).
 * @internal
 */
export function pinTable(overrides: readonly ActionPin[] = []): Map<string, ActionPin> {
  const table = new Map<string, ActionPin>();
  for (const p of [...ActionPin.defaults(), ...overrides]) table.set(p.action, p);
  return table;
}

/**
 * Pinned `uses:` (owner/repo@sha) → its version, for the comment the renderer writes beside it.
 * @internal
 */
export function pinVersions(pins: Iterable<ActionPin>): Map<string, string> {
  const versions = new Map<string, string>();
  for (const p of pins) versions.set(p.uses, p.version);
  return versions;
}
