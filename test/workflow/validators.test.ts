/**
 * Negative controls: each validator the workflow tests rely on reports the defect it
 * exists for, so a passing variant means something.
 */
import { actionlintFindings, parserErrors, shellcheckFindings, undeclaredInputs } from './support';

const SHA = '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a';

function workflow(job: string): string {
  return ['name: t', 'on:', '  push: {}', 'permissions:', '  contents: read', 'jobs:', job].join('\n') + '\n';
}

describe('the validators can fail', () => {
  test('GitHub\'s parser rejects an unknown key', async () => {
    const content = workflow(['  a:', '    runs-on: ubuntu-latest', '    bogus: 1', '    steps:', '      - run: "true"'].join('\n'));
    expect((await parserErrors(content)).length).toBeGreaterThan(0);
  });

  test('the template conversion rejects a `needs:` on a missing job', async () => {
    const content = workflow([
      '  b:', '    runs-on: ubuntu-latest', '    steps:', '      - run: "true"',
      '  a:', '    runs-on: ubuntu-latest', '    needs: [nope]', '    steps:', '      - run: "true"',
    ].join('\n'));
    expect((await parserErrors(content)).join('\n')).toMatch(/nope/);
  });

  test('actionlint flags untrusted input in a script and an unknown permission', async () => {
    const content = workflow([
      '  a:', '    runs-on: ubuntu-latest', '    permissions:', '      packagez: write', '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
    ].join('\n'));
    const findings = (await actionlintFindings(content)).join('\n');
    expect(findings).toMatch(/packagez/);
    expect(findings).toMatch(/untrusted/);
  });

  test('shellcheck flags an unquoted expansion', () => {
    const findings = shellcheckFindings({ jobs: { a: { steps: [{ name: 's', run: 'rm $1\n' }] } } });
    expect(findings.join('\n')).toMatch(/SC2086/);
  });

  test('the inputs check flags a key the action does not declare', () => {
    const problems = undeclaredInputs({ jobs: { a: { steps: [{ name: 'b', uses: `docker/build-push-action@${SHA}`, with: { context: '.', dockerfile: 'x' } }] } } });
    expect(problems).toEqual(['a/b: docker/build-push-action declares no input "dockerfile"']);
  });
});
