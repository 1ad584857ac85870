import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shell scripts of the generated workflows, each a file of its own in ./scripts (checked by shellcheck). @internal */
export type WorkflowScriptName = 'image-and-cache' | 'fail-on-drift' | 'changes' | 'leg-digest' | 'merge-digests' | 'ready';

const loaded = new Map<WorkflowScriptName, string>();

/**
 * The text of a script as a `run:` step takes it: the file without its shebang and `##` header lines,
 * with each `__PLACEHOLDER__` of `values` replaced.
 * @internal
 */
export function workflowScript(name: WorkflowScriptName, values: { readonly [placeholder: string]: string } = {}): string {
  let text = loaded.get(name);
  if (text === undefined) {
    text = readFileSync(join(__dirname, 'scripts', `${name}.sh`), 'utf8')
      .split('\n').filter(line => !line.startsWith('#!') && !line.startsWith('##')).join('\n');
    loaded.set(name, text);
  }
  for (const [placeholder, value] of Object.entries(values)) text = text.split(placeholder).join(value);
  return text;
}
