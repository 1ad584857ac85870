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
