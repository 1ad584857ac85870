/**
 * linux/arm64 under QEMU against linux/amd64 natively, side by side in one run, with a real Docker engine
 * (scripts/docker-engine.sh) and the per-platform busybox bases of scripts/arm64.sh: the same small image whose
 * RUN step does real CPU work (busybox's seq | gzip -9 | bzip2 -9 over a few MB) is built with `--no-cache` for
 * each platform, interleaved (amd64, arm64, amd64, ...), RUNS times each after one warm-up of each.
 *
 * Informational: it prints the medians and the arm64/amd64 ratio (how much slower an emulated leg is than a
 * native one on this machine) and holds them to no target.
 *
 *   DOCKYARD_ENGINE_DIR=... npx ts-node --project bench/tsconfig.json bench/arm64.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './_measure';
import { docker, dockerOk, engineAvailable } from '../test/support/docker';

const RUNS = 3;
const WARMUP = 1;
/** How many numbers `seq` prints into the compressors (≈ 15 MB of text). */
const WORK = 2_000_000;

type Platform = 'linux/amd64' | 'linux/arm64';
const BASES: Record<Platform, string> = {
  'linux/amd64': 'local/busybox:1.36-amd64',
  'linux/arm64': 'local/busybox:1.36-arm64',
};

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function dockerfile(from: string): string {
  return [
    `FROM ${from}`,
    `RUN seq 1 ${WORK} | gzip -9 | bzip2 -9 | md5sum > /work.md5 && uname -m > /machine`,
    'CMD ["cat", "/machine", "/work.md5"]',
    '',
  ].join('\n');
}

/** One `--no-cache` build of `platform`, its base re-tagged as the FROM name first; returns the wall time in ms. */
function timedBuild(context: string, from: string, tag: string, platform: Platform): number {
  dockerOk(['tag', BASES[platform], from]);
  const t0 = process.hrtime.bigint();
  dockerOk(['buildx', 'build', '--progress=plain', '--no-cache', '--network=none', '--provenance=false',
    '--platform', platform, '-t', tag, context], { timeoutMs: 900_000 });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function main(): Promise<boolean | void> {
  if (!engineAvailable()) {
    console.log('arm64: no Docker engine (run "bash scripts/docker-engine.sh all"); nothing measured');
    return false;
  }
  for (const [platform, image] of Object.entries(BASES)) {
    const r = docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image]);
    if (r.status !== 0 || r.stdout.trim() !== platform) {
      console.log(`arm64: ${image} (${platform}) missing: run "bash scripts/arm64.sh install && bash scripts/arm64.sh base-images"; nothing measured`);
      return false;
    }
  }
  const id = `${process.pid}-${Date.now().toString(36)}`;
  const from = `dockyard-bench-arm64-${id}/busybox:1.36`;
  const tags: Record<Platform, string> = { 'linux/amd64': `dockyard-bench-arm64-${id}:amd64`, 'linux/arm64': `dockyard-bench-arm64-${id}:arm64` };
  const context = mkdtempSync(join(tmpdir(), 'dockyard-bench-arm64-'));
  writeFileSync(join(context, 'Dockerfile'), dockerfile(from));
  const platforms = Object.keys(BASES) as Platform[];
  const samples: Record<Platform, number[]> = { 'linux/amd64': [], 'linux/arm64': [] };
  try {
    for (let i = 0; i < WARMUP; i++) for (const p of platforms) timedBuild(context, from, tags[p], p);
    for (let i = 0; i < RUNS; i++) for (const p of platforms) samples[p].push(timedBuild(context, from, tags[p], p));
    // the same work, really done on each platform
    const out = Object.fromEntries(platforms.map(p => [p, dockerOk(['run', '--rm', '--network=none', '--platform', p, tags[p]]).trim().split('\n')]));
    const amd64 = median(samples['linux/amd64']);
    const arm64 = median(samples['linux/arm64']);
    console.log(`arm64 under QEMU vs amd64 native: one RUN of seq 1 ${WORK} | gzip -9 | bzip2 -9 | md5sum, docker buildx build --no-cache`);
    for (const p of platforms) {
      console.log(`  ${p}  median ${s(median(samples[p]))} [${samples[p].map(s).join(', ')}]  machine ${out[p][0]}, md5 ${out[p][1]?.split(' ')[0]}`);
    }
    console.log(`  ratio arm64/amd64 ${(arm64 / amd64).toFixed(2)}x  (informational, no target)`);
    if (out['linux/arm64'][1] !== out['linux/amd64'][1]) console.log('  WARNING: the two platforms computed different checksums');
    return true;
  } finally {
    docker(['rmi', '-f', tags['linux/amd64'], tags['linux/arm64'], from]);
    rmSync(context, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main().then(ok => {
    if (ok === false) process.exitCode = 1;
  });
}
