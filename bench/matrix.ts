/**
 * The matrix workflow's cost in images × platforms (issue "Many images and platforms"): a project with N
 * typed-stage Dockerfiles is synthesized in-process with one GhcrPublishWorkflow over every image on two
 * platforms (legs = images × platforms) and, interleaved in the same run, without the workflow, so the
 * difference is what the workflow costs (its model, validation, YAML rendering, manifest and docs).
 *
 * Target: linear in legs. The workflow's cost at 8 legs is at most 8× its cost at 1 leg, and at 16 legs at
 * most 2.2× its cost at 8 legs (fixed costs make both ratios smaller than the leg ratio when linear).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Project } from 'projen';
import { median, report } from './_measure';
import { BaseImage, CopySource, GhcrPublishWorkflow, MultiStageDockerfile, RepositoryVisibility } from '../src';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const RUNS = Math.max(15, Number(process.env.BENCH_RUNS ?? 15));
const WARMUP = 3;

/** [images, platforms per image]: 1, 8 and 16 legs. */
const SHAPES: Array<[number, string[]]> = [
  [1, ['linux/amd64']],
  [4, ['linux/amd64', 'linux/arm64']],
  [8, ['linux/amd64', 'linux/arm64']],
];

function synthOnce(images: number, platforms: string[], withWorkflow: boolean): number {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-matrix-'));
  gc();
  const t0 = process.hrtime.bigint();
  const project = new Project({ name: 'bench', outdir });
  const dockerfiles = Array.from({ length: images }, (_, i) => {
    const df = new MultiStageDockerfile(project, `Service${i}`, { path: `services/s${i}/Dockerfile`, context: `services/s${i}` });
    const build = df.addStage('build', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') }).workdir('/src').copy(['app.py'], './').run('python3 -m py_compile app.py');
    df.addStage('final', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') })
      .copy(['/src/app.py'], '/app/app.py', { from: CopySource.stage(build) }).user('10001', '10001').cmd(['python3', '/app/app.py']);
    return df;
  });
  if (withWorkflow) {
    new GhcrPublishWorkflow(project, {
      repositoryVisibility: RepositoryVisibility.PUBLIC,
      images: dockerfiles.map((dockerfile, i) => ({ name: `s${i}`, dockerfile, platforms, paths: [`services/s${i}/*`] })),
    });
  }
  project.synth();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(outdir, { recursive: true, force: true });
  return ms;
}

export async function main(): Promise<boolean> {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    const samples = new Map<string, number[]>();
    for (let run = 0; run < WARMUP + RUNS; run++) {
      for (const [images, platforms] of SHAPES) {
        for (const withWorkflow of [true, false]) {
          const t = synthOnce(images, platforms, withWorkflow);
          const key = `${images * platforms.length}:${withWorkflow}`;
          if (run >= WARMUP) samples.set(key, [...samples.get(key) ?? [], t]);
        }
      }
    }
    const cost: Record<number, number> = {};
    for (const [images, platforms] of SHAPES) {
      const legs = images * platforms.length;
      const withMs = median(samples.get(`${legs}:true`)!);
      const withoutMs = median(samples.get(`${legs}:false`)!);
      cost[legs] = withMs - withoutMs;
      console.log(`${legs} leg(s) (${images} image(s) × ${platforms.length} platform(s)): synth with the workflow ${withMs.toFixed(1)} ms, without ${withoutMs.toFixed(1)} ms; the workflow costs ${cost[legs].toFixed(1)} ms (median of ${RUNS}, interleaved)`);
    }
    const a = report('workflow cost, 8 legs / 1 leg (linear: <= 8)', cost[8] / cost[1], 8);
    const b = report('workflow cost, 16 legs / 8 legs (linear: <= 2.2)', cost[16] / cost[8], 2.2);
    return a && b;
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
}
