/** Shared helpers of the benchmarks: wall-clock medians of commands run in fresh processes. */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `cmd args` once and returns its wall time in ms; throws when it fails. */
export function timeCommand(cmd: string, args: string[], options: SpawnSyncOptions = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return ms;
}

/**
 * Measures several commands side by side: runs are interleaved (a, b, a, b, ...) so machine noise hits
 * every subject alike; returns the median per subject.
 */
export function sideBySide(subjects: Record<string, () => number>, runs: number, warmup = 2): Record<string, number> {
  const names = Object.keys(subjects);
  for (let i = 0; i < warmup; i++) for (const n of names) subjects[n]();
  const samples: Record<string, number[]> = Object.fromEntries(names.map(n => [n, []]));
  for (let i = 0; i < runs; i++) for (const n of names) samples[n].push(subjects[n]());
  return Object.fromEntries(names.map(n => [n, median(samples[n])]));
}

/** Prints `label: value (target op limit) PASS|MISS` and returns whether it passed. */
export function report(label: string, value: number, limit: number, unit = 'x'): boolean {
  const ok = value <= limit;
  console.log(`${label}: ${value.toFixed(3)}${unit} (target <= ${limit}${unit}) ${ok ? 'PASS' : 'MISS'}`);
  return ok;
}
