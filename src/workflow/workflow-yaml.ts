import { yamlLibrary } from './yaml-library';

/**
 * Renders a workflow object as YAML through `yaml`'s Document API, so that every
 * `uses: owner/repo@<sha>` scalar carries its version as a trailing comment
 * (`# v7.3.0`), which Dependabot and Renovate read. `header` becomes a comment
 * above the document (the projen marker).
 * @internal
 */
export function renderWorkflowYaml(workflow: unknown, versions: ReadonlyMap<string, string>, header?: string): string {
  const { Document, isScalar, visit } = yamlLibrary();
  const doc = new Document(workflow, { aliasDuplicateObjects: false });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value) && typeof pair.value.value === 'string') {
        const version = versions.get(pair.value.value);
        if (version !== undefined) pair.value.comment = ` ${version}`;
      }
    },
  });
  if (header) doc.commentBefore = ` ${header}`;
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}
