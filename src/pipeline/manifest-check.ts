import { MANIFEST_SCHEMA_VERSION } from './constants';
import { isJsonObject, SchemaChecker } from './json-schema';
import { CHECKED_MANIFESTS as checked } from './manifest-checked';
import { MANIFEST_SCHEMA } from './manifest-schema';

const checker = new SchemaChecker(MANIFEST_SCHEMA);
const FIX = 'run "npx projen" to rewrite the manifest';

/**
 * Every problem with the shape of a pipeline manifest, one per top-level field, checked against the
 * schema generated from the `PipelineManifest` type; the values themselves are checked by the construct
 * that uses them. Empty when the manifest has the right shape.
 * @internal
 */
export function manifestShapeProblems(data: unknown): string[] {
  if (isJsonObject(data) && checked.has(data)) return [];
  if (!isJsonObject(data)) return [`the manifest is not a JSON object: ${FIX}`];
  const problems: string[] = [];
  const required = new Set(MANIFEST_SCHEMA.required ?? []);
  for (const [field, schema] of Object.entries(MANIFEST_SCHEMA.properties ?? {})) {
    const value = Object.prototype.hasOwnProperty.call(data, field) ? data[field] : undefined;
    if (field === 'schemaVersion' && typeof value === 'number' && value > MANIFEST_SCHEMA_VERSION) {
      problems.push(`schemaVersion ${value} was written by a newer cdk-dockyard than this one (reads ${MANIFEST_SCHEMA_VERSION}): `
        + 'use the same cdk-dockyard version in the projen and cdktf programs');
      continue;
    }
    if (field === 'schemaVersion' && typeof value === 'number' && value < MANIFEST_SCHEMA_VERSION) {
      problems.push(`schemaVersion ${value} was written by an older cdk-dockyard (this one reads ${MANIFEST_SCHEMA_VERSION}): ${FIX}`);
      return problems;
    }
    const ok = value === undefined ? !required.has(field) : checker.matches(value, schema)
      && (field !== 'schemaVersion' || value === MANIFEST_SCHEMA_VERSION);
    if (!ok) {
      const expected = field === 'schemaVersion' ? `${MANIFEST_SCHEMA_VERSION}` : `${checker.describe(schema)}${required.has(field) ? '' : ' or absent'}`;
      problems.push(`field "${field}" must be ${expected}, found ${JSON.stringify(value) ?? 'nothing'}: ${FIX}`);
    }
  }
  if (problems.length === 0) checked.add(data);
  return problems;
}
