/** The workflow's shell scripts are files of their own: shellcheck reads them as they are in the repository. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workflowScript } from '../../src/workflow/scripts';

const DIR = join(__dirname, '..', '..', 'src', 'workflow', 'scripts');
const SCRIPTS = readdirSync(DIR).filter(f => f.endsWith('.sh'));

test('there are scripts to check', () => {
  expect(SCRIPTS).toEqual(expect.arrayContaining(['image-and-cache.sh', 'fail-on-drift.sh']));
});

test.each(SCRIPTS)('%s passes shellcheck at the style level', file => {
  const r = spawnSync('shellcheck', ['-s', 'bash', '-S', 'style', '-f', 'gcc', join(DIR, file)], { encoding: 'utf8' });
  if (r.error) throw r.error;
  expect(`${r.stdout}${r.stderr}`).toBe('');
  expect(r.status).toBe(0);
});

test('a step takes the script without its shebang and ## header, placeholders filled', () => {
  const text = workflowScript('fail-on-drift', { __SYNTH_COMMANDS__: 'npx projen' });
  expect(text.startsWith('if ! git diff --exit-code; then\n')).toBe(true);
  expect(text).not.toMatch(/^#[#!]/m);
  expect(text).not.toContain('__SYNTH_COMMANDS__');
  expect(text).toContain('run npx projen and commit the result');
});
