/**
 * The bundled examples' generated files are committed so readers see real output.
 * This test synthesizes each example again (through the built library, as `npm run example`
 * does) into a temporary directory and fails when any committed generated file differs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe.each([
  ['django-app', 'docker/Dockerfile.prod'],
  ['monorepo', 'services/worker/Dockerfile'],
])('examples/%s', (name, dockerfile) => {
  const EXAMPLE = join(__dirname, '..', '..', 'examples', name);
  let outdir: string;
  let generated: string[];

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'dockyard-example-'));
    const r = spawnSync('npx', ['ts-node', '--project', 'tsconfig.projen.json', '.projenrc.ts'], {
      cwd: EXAMPLE,
      env: { ...process.env, DOCKYARD_EXAMPLE_OUTDIR: outdir, PROJEN_DISABLE_POST: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) {
      throw new Error(`example synth failed (is lib/ built? run "npx projen compile"):\n${r.stdout}\n${r.stderr}`);
    }
    generated = JSON.parse(readFileSync(join(outdir, '.projen', 'files.json'), 'utf8')).files;
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes the Dockerfile and the rest of the pipeline', () => {
    expect(generated).toEqual(expect.arrayContaining([dockerfile, '.github/workflows/container-publish.yml', '.github/dockyard-pipeline.json']));
  });

  test('the committed list of generated files is up to date', () => {
    const committed = JSON.parse(readFileSync(join(EXAMPLE, '.projen', 'files.json'), 'utf8')).files;
    expect(committed).toEqual(generated);
  });

  test('every committed generated file equals what synth produces now (run "npm run example" to refresh)', () => {
    const stale: string[] = [];
    for (const file of [...generated, '.projen/files.json']) {
      const committedPath = join(EXAMPLE, file);
      const freshPath = join(outdir, file);
      // projen lists some files it then removes when empty (e.g. .projen/deps.json): both sides must agree
      const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : undefined;
      const fresh = existsSync(freshPath) ? readFileSync(freshPath, 'utf8') : undefined;
      if (committed !== fresh) {
        stale.push(file);
      }
    }
    expect(stale).toEqual([]);
  });
});
