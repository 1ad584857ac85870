/**
 * The Python production preset against a single-stage build, side by side in one run, with a real
 * Docker engine (scripts/docker-engine.sh) and the sample app of test/fixtures/python-app:
 *
 * - size: the final multi-stage image vs a single-stage build of the same app with the same build
 *   packages (gcc, libc6-dev, python3-dev from Debian's mirror) — target <= 0.5x;
 * - rebuild: after a change to application source only, the rebuild (every dependency layer CACHED, as
 *   BuildKit reports it) vs a cold build (`--no-cache`) of the same file — target <= 0.2x, medians of RUNS.
 */
import { rmSync } from 'node:fs';
import {
  imageSize, median, presetContext, progressSteps, runName, samplePreset, singleStageContext, timedBuild, touchSource,
} from '../test/presets/python-e2e';
import { docker, engineAvailable } from '../test/support/docker';

const RUNS = 3;
const SIZE_TARGET = 0.5;
const REBUILD_TARGET = 0.2;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function main(): Promise<boolean> {
  if (!engineAvailable()) {
    console.log('python-preset: no Docker engine (run "bash scripts/docker-engine.sh all"); nothing measured');
    return false;
  }
  const tag = runName('dockyard-bench-pyapp');
  const images = { final: `${tag}-final:1`, single: `${tag}-single:1` };
  const prod = presetContext(samplePreset({ kind: 'prod', family: 'debian' }));
  const single = singleStageContext();
  try {
    // size: both images built in this run
    timedBuild(prod, images.final);
    timedBuild(single, images.single);
    const finalSize = imageSize(images.final);
    const singleSize = imageSize(images.single);
    const sizeRatio = finalSize / singleSize;

    // rebuild: cold (no cache) vs after a source-only change, alternating, RUNS times
    const cold: number[] = [];
    const warm: number[] = [];
    let allCached = true;
    for (let i = 0; i < RUNS; i++) {
      cold.push(timedBuild(prod, images.final, ['--no-cache']).ms);
      touchSource(prod, `${tag}-${i}`);
      const rebuild = timedBuild(prod, images.final);
      warm.push(rebuild.ms);
      const rerun = progressSteps(rebuild.log).filter(step => !step.cached).map(step => `${step.stage}: ${step.instruction}`);
      if (rerun.length !== 1 || !rerun[0].startsWith('final: COPY')) {
        allCached = false;
        console.log(`  run ${i + 1}: steps that were not CACHED: ${JSON.stringify(rerun)}`);
      }
    }
    const rebuildRatio = median(warm) / median(cold);
    const sizeOk = sizeRatio <= SIZE_TARGET;
    const rebuildOk = rebuildRatio <= REBUILD_TARGET && allCached;

    console.log('python preset (Debian, sample app with a local pure-Python dependency; build packages gcc libc6-dev python3-dev)');
    console.log(`  size     final multi-stage ${mb(finalSize)} vs single-stage ${mb(singleSize)} (base image ${mb(imageSize('python:3.11-slim-bookworm'))})`);
    console.log(`           ratio ${sizeRatio.toFixed(3)}  target <= ${SIZE_TARGET}  ${sizeOk ? 'PASS' : 'FAIL'}`);
    console.log(`  rebuild  cold (--no-cache) median ${s(median(cold))} [${cold.map(s).join(', ')}]`);
    console.log(`           source-only change median ${s(median(warm))} [${warm.map(s).join(', ')}], every other step CACHED: ${allCached}`);
    console.log(`           ratio ${rebuildRatio.toFixed(3)}  target <= ${REBUILD_TARGET}  ${rebuildOk ? 'PASS' : 'FAIL'}`);
    return sizeOk && rebuildOk;
  } finally {
    docker(['rmi', '-f', images.final, images.single]);
    rmSync(prod.dir, { recursive: true, force: true });
    rmSync(single.dir, { recursive: true, force: true });
  }
}
