/** A validation error prints each problem once, without a stack, and stays a catchable Error. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DockyardValidationError } from '../../src/core/problems';

const LIB = join(__dirname, '..', '..', 'lib', 'core', 'problems.js');
const PROBLEMS = ['[app/Dockerfile] path "/etc/x" must be relative to the project root', '[app/Workflow] imageName "Acme" has uppercase letters'];

test('uncaught (as npx projen or cdktf synth print it): each problem once, no stack trace', () => {
  const code = `const { DockyardValidationError } = require(${JSON.stringify(LIB)}); throw new DockyardValidationError(${JSON.stringify(PROBLEMS)});`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, DOCKYARD_DEBUG: '' } });
  expect(r.status).toBe(1);
  for (const p of PROBLEMS) expect(r.stderr.split(p).length - 1).toBe(1);
  expect(r.stderr).toContain('cdk-dockyard found 2 problem(s); nothing was written');
  expect(r.stderr).not.toMatch(/^\s+at /m);
});

test('DOCKYARD_DEBUG=1 keeps the stack', () => {
  const code = `const { DockyardValidationError } = require(${JSON.stringify(LIB)}); throw new DockyardValidationError(${JSON.stringify(PROBLEMS)});`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, DOCKYARD_DEBUG: '1' } });
  expect(r.stderr).toMatch(/^\s+at /m);
});

test('a catchable Error with its problems', () => {
  try {
    throw new DockyardValidationError(PROBLEMS);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DockyardValidationError);
    expect((e as DockyardValidationError).problems).toEqual(PROBLEMS);
  }
});
