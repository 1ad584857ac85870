import type { MatrixJobInputs } from './matrix-jobs';
import type { PublishPipelineOptions } from './publish-pipeline-options';
import { imageNameProblem, runnerLabelProblem, textProblem } from './rules';
import { STAGE_NAME } from '../core/docker-names';
import { platformProblem } from '../core/image-names';
import { repositoryPathProblem } from '../core/repository-paths';
import type { PipelineDockerfile } from '../pipeline/pipeline-manifest';

/** An image id: a matrix value and part of artifact and image names. */
const IMAGE_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Every problem of a matrix pipeline's images, runners and the options that do not apply to it.
 * @internal
 */
export function matrixProblems(p: MatrixJobInputs, o: PublishPipelineOptions & { readonly dockerfile?: PipelineDockerfile }): string[] {
  const out: (string | undefined)[] = [];
  if (o.dockerfile !== undefined) out.push('both dockerfile and images are set; give one image as dockerfile, or every image in images');
  if (o.imageName !== undefined) out.push('imageName is set with images; set each image\'s imageName instead');
  if (o.platforms !== undefined) out.push('platforms is set with images; set each image\'s platforms instead (each platform is built on its own runner)');
  if (o.publishPaths !== undefined) {
    out.push('publishPaths is set with images; give each image its paths instead (computed by a changes job, so the required check never stays pending)');
  }
  if (p.images.length === 0) out.push('images is empty; list at least one image, or pass dockerfile for one');
  const names = new Set<string>();
  p.images.forEach((image, i) => {
    const what = `images[${i}]`;
    if (typeof image?.name !== 'string' || !IMAGE_ID.test(image.name) || image.name.length > 40) {
      out.push(`${what}.name ${JSON.stringify(image?.name)} is not an image id; use 1-40 lowercase letters, digits and "-", e.g. "api"`);
    } else if (names.has(image.name)) {
      out.push(`${what}.name "${image.name}" is used by another image; give each image its own name`);
    }
    names.add(image?.name);
    if (image?.repository !== undefined) out.push(imageNameProblem(image.repository, `${what}.imageName`));
    out.push(...dockerfileProblems(image?.dockerfile, `${what}.dockerfile`));
    if (image?.platforms.length === 0) out.push(`${what}.platforms is empty; list at least one, e.g. "linux/amd64"`);
    if (new Set(image?.platforms).size !== image?.platforms.length) out.push(`${what}.platforms lists a platform twice; list each once`);
    image?.platforms.forEach((platform, j) => {
      const problem = textProblem(platform, `${what}.platforms[${j}]`) ?? platformProblem(platform, `${what}.platforms[${j}]`);
      if (problem) {out.push(problem);} else if (p.runners[platform] === undefined && !p.emulate) {
        out.push(`${what}.platforms[${j}] "${platform}" has no runner: add runners: { "${platform}": "<runner label>" }, or emulatePlatforms: true to build it under QEMU`);
      }
    });
    if (image?.paths !== undefined && image.paths.length === 0) out.push(`${what}.paths is empty; omit it to build on every change, or list at least one pattern`);
    (image?.paths ?? []).forEach((pattern, j) => {
      const problem = textProblem(pattern, `${what}.paths[${j}]`);
      if (problem) out.push(problem);
      else if (/^[!/]|\s|\t/.test(pattern)) out.push(`${what}.paths[${j}] ${JSON.stringify(pattern)} must be a pattern relative to the repository root, without whitespace or a leading "!" or "/"`);
    });
  });
  for (const [platform, runner] of Object.entries(p.runners)) {
    out.push(textProblem(platform, `runners key ${JSON.stringify(platform)}`) ?? platformProblem(platform, `runners key ${JSON.stringify(platform)}`));
    out.push(runnerLabelProblem(runner, `runners["${platform}"]`));
  }
  return out.filter((x): x is string => x !== undefined);
}

function dockerfileProblems(dockerfile: PipelineDockerfile | undefined, what: string): (string | undefined)[] {
  if (dockerfile === undefined || dockerfile === null) return [`${what} is missing; give the Dockerfile's path, context and target`];
  const out = [
    repositoryPathProblem(dockerfile.path, `${what}.path`),
    repositoryPathProblem(dockerfile.context, `${what}.context`),
    textProblem(dockerfile.target, `${what}.target`),
  ];
  if (typeof dockerfile.target === 'string' && !STAGE_NAME.test(dockerfile.target)) {
    out.push(`${what}.target ${JSON.stringify(dockerfile.target)} is not a stage name (lowercase letters, digits, "_", ".", "-")`);
  }
  return out;
}
