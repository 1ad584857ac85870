import type { ContainerPublishPipeline } from './container-publish-pipeline';
import { GHCR_REGISTRY } from '../pipeline/constants';

/**
 * The markdown beside the publish workflow that says how a consumer checks where an image was built: the exact
 * `gh attestation verify` command per image and publishing branch, and the projen task that runs it.
 * @internal
 */
export function verificationDocs(pipeline: ContainerPublishPipeline, task: string, marker: string | undefined): string {
  const workflow = pipeline.workflowPath;
  const lines = [`# Verifying the images of \`${workflow}\``, ''];
  if (marker) lines.push(`<!-- ${marker} -->`, '');
  lines.push(
    'Anyone with write access to the repository can push an image to the registry under any tag, from any workflow',
    'or machine. What they cannot forge is the build-provenance attestation this workflow pushes with every image: it',
    'is signed for this workflow file, this repository and the branch that ran it. Check it before you deploy a digest:',
    '',
  );
  const images = pipeline.manifestImages();
  for (const image of images) {
    const name = image.imageName !== undefined ? `${GHCR_REGISTRY}/${image.imageName}` : `${GHCR_REGISTRY}/<owner>/<repo>${image.name ? `/${image.name}` : ''}`;
    if (images.length > 1) lines.push(`## ${image.name}`, '');
    lines.push('| branch | environment | command |', '| --- | --- | --- |');
    for (const d of pipeline.deployments) {
      const command = `gh attestation verify oci://${name}@<digest> --repo <owner>/<repo> --signer-workflow <owner>/<repo>/${workflow} --source-ref refs/heads/${d.branch}`;
      lines.push(`| \`${d.branch}\` | \`${d.environment}\` | \`${command}\` |`);
    }
    lines.push('');
  }
  if (pipeline.tagEnvironment !== undefined) {
    lines.push(`Images published from a release tag (\`${pipeline.tagPattern}\`) are signed for \`--source-ref refs/tags/<tag>\`.`, '');
  }
  lines.push(
    `With projen: \`npx projen ${task} <image>@<digest> [branch]\` (the branch defaults to main; a tag instead of a digest is`,
    'resolved through the registry; the repository comes from `GITHUB_REPOSITORY` or the `origin` remote). It needs the',
    'GitHub CLI and the network; offline it stops where it needs them and says so.',
    '',
  );
  return lines.join('\n');
}
