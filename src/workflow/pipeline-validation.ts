import type { PublishJobInputs } from './publish-jobs';
import type { PublishPipelineOptions } from './publish-pipeline-options';
import {
  commandProblem, environmentProblem, imageNameProblem, jobIdProblem, nodeVersionProblem, pathFilterProblem, runnerLabelProblem,
  textProblem, workflowNameProblem,
} from './rules';
import { stepProblems } from './workflow-step';
import { STAGE_NAME, VARIABLE_NAME } from '../core/docker-names';
import { branchNameProblem } from '../core/github-names';
import { platformProblem } from '../core/image-names';
import { repositoryPathProblem } from '../core/repository-paths';
import { RepositoryVisibility } from '../pipeline/repository-visibility';

/**
 * Every problem with a publish pipeline's options, each naming the value, the rule and the fix; empty
 * when valid. `p` holds the resolved facts, `o` the options as given.
 * @internal
 */
export function pipelineProblems(p: PublishJobInputs, o: PublishPipelineOptions, jobNames: readonly string[], matrix = false): string[] {
  const out: (string | undefined)[] = [];
  out.push(workflowNameProblem(p.workflowName));
  // a matrix checks each image's Dockerfile (matrix-validation.ts)
  if (!matrix) {
    out.push(repositoryPathProblem(p.dockerfile?.path, 'Dockerfile path'));
    out.push(repositoryPathProblem(p.dockerfile?.context, 'Dockerfile context'));
    out.push(textProblem(p.dockerfile?.target, 'Dockerfile target'));
    if (typeof p.dockerfile?.target === 'string' && !STAGE_NAME.test(p.dockerfile.target)) {
      out.push(`Dockerfile target ${JSON.stringify(p.dockerfile.target)} is not a stage name (lowercase letters, digits, "_", ".", "-")`);
    }
  }
  if (p.imageName !== undefined) out.push(imageNameProblem(p.imageName));
  out.push(...deploymentProblems(p, o));
  for (const [i, pl] of p.platforms.entries()) out.push(textProblem(pl, `platforms[${i}]`) ?? platformProblem(pl, `platforms[${i}]`));
  if (new Set(p.platforms).size !== p.platforms.length) out.push('platforms lists a platform twice; list each once');
  for (const [i, g] of (o.publishPaths ?? []).entries()) out.push(pathFilterProblem(g, `publishPaths[${i}]`));
  if (o.publishPaths !== undefined && o.publishPaths.length === 0) out.push('publishPaths is empty; omit it to publish on every push, or list at least one glob');
  out.push(...runnerProblems(p, o));
  out.push(jobIdProblem(p.buildJobId, 'jobIds.buildJob'));
  out.push(jobIdProblem(p.publishJobId, 'jobIds.publishJob'));
  if (p.synthDriftJobId !== undefined) out.push(jobIdProblem(p.synthDriftJobId, 'jobIds.synthDriftJob'));
  const lower = jobNames.map(n => String(n).toLowerCase());
  if (new Set(lower).size !== lower.length) out.push(`jobIds ${JSON.stringify(jobNames)} repeat a name; give each job its own id`);
  const drift = o.synthDrift;
  if (drift) {
    if (drift.installCommand !== undefined) out.push(commandProblem(drift.installCommand, 'synthDrift.installCommand'));
    if (drift.nodeVersion !== undefined) out.push(nodeVersionProblem(drift.nodeVersion, 'synthDrift.nodeVersion'));
    if (drift.cdktfApp !== undefined) out.push(repositoryPathProblem(drift.cdktfApp, 'synthDrift.cdktfApp'));
  }
  for (const pin of o.actionPins ?? []) out.push(...pin._problems());
  out.push(attestationChoiceProblem(o));
  out.push(...extensionProblems(p, jobNames));
  return out.filter((x): x is string => x !== undefined);
}

/**
 * Provenance is attested by default for a public repository; for any other (or an undeclared) one, synthesis
 * cannot know whether the plan has attestations (GitHub Enterprise Cloud), so it asks.
 */
function attestationChoiceProblem(o: PublishPipelineOptions): string | undefined {
  const visibility = o.repositoryVisibility;
  if (visibility !== undefined && !Object.values(RepositoryVisibility).includes(visibility)) {
    return `repositoryVisibility ${JSON.stringify(visibility)} is not RepositoryVisibility.PUBLIC, PRIVATE or INTERNAL`;
  }
  if (visibility === RepositoryVisibility.PUBLIC || o.provenanceAttestation !== undefined) return undefined;
  const which = visibility === undefined ? 'the repository\'s visibility is not declared' : `the repository is ${visibility}`;
  return `${which}, so whether the publish job can attest build provenance is unknown (private and internal repositories need GitHub Enterprise Cloud): `
    + 'declare repositoryVisibility: RepositoryVisibility.PUBLIC (provenance and an SBOM are then attested), '
    + 'or set provenanceAttestation: true (GitHub Enterprise Cloud) or false (a consumer then cannot verify where an image was built)';
}

/** The escape hatches: extra steps, build arguments and secrets, extra needs. */
function extensionProblems(p: PublishJobInputs, jobNames: readonly string[]): string[] {
  const out: (string | undefined)[] = [];
  p.preBuildSteps.forEach((s, i) => out.push(...stepProblems(s, `preBuildSteps[${i}]`)));
  p.postBuildSteps.forEach((s, i) => out.push(...stepProblems(s, `postBuildSteps[${i}]`)));
  const ids = [...p.preBuildSteps, ...p.postBuildSteps].map(s => s?.id).filter((x): x is string => x !== undefined);
  for (const reserved of ['image', 'meta', 'build']) {
    if (ids.includes(reserved)) out.push(`a step of yours has the id "${reserved}", which a step of the publish job has; choose another id`);
  }
  for (const [name, value] of Object.entries(p.buildArgs)) {
    if (!VARIABLE_NAME.test(name)) out.push(`buildArgs name ${JSON.stringify(name)} is not an ARG name (letters, digits and "_", not starting with a digit)`);
    out.push(textProblem(value, `buildArgs.${name}`));
  }
  for (const [id, secret] of Object.entries(p.buildSecrets)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) out.push(`buildSecrets id ${JSON.stringify(id)} is not a BuildKit secret id (letters, digits, ".", "_", "-")`);
    if (typeof secret !== 'string' || !VARIABLE_NAME.test(secret) || /^GITHUB_/i.test(secret)) {
      out.push(`buildSecrets.${id} ${JSON.stringify(secret)} is not a GitHub secret name (letters, digits and "_", not starting with a digit or GITHUB_)`);
    }
  }
  for (const [i, need] of p.publishNeeds.entries()) {
    const problem = textProblem(need, `publishNeeds[${i}]`);
    if (problem) out.push(problem);
    else if (jobNames.includes(need)) out.push(`publishNeeds[${i}] ${JSON.stringify(need)} is already a job the publish job needs or is; list only jobs you add`);
  }
  return out.filter((x): x is string => x !== undefined);
}

function deploymentProblems(p: PublishJobInputs, o: PublishPipelineOptions): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  if (p.deployments.length === 0) out.push('deployments is empty; map at least one branch to an environment, e.g. { branch: "main", environment: "production" }');
  const branches = new Set<string>();
  for (const [i, d] of p.deployments.entries()) {
    out.push(branchNameProblem(d?.branch, `deployments[${i}].branch`));
    out.push(environmentProblem(d?.environment, `deployments[${i}].environment`));
    if (branches.has(d?.branch)) out.push(`deployments[${i}].branch ${JSON.stringify(d.branch)} is listed twice; map each branch once`);
    branches.add(d?.branch);
  }
  if (o.tagEnvironment !== undefined) {
    out.push(environmentProblem(o.tagEnvironment, 'tagEnvironment'));
    if (!(o.publishSemverTags ?? false)) out.push('tagEnvironment is set but publishSemverTags is off; set publishSemverTags: true or drop tagEnvironment');
  }
  const envs = new Map<string, string>();
  for (const e of [...p.deployments.map(d => d?.environment), ...(p.tagEnvironment ? [p.tagEnvironment] : [])]) {
    if (typeof e !== 'string') continue;
    const prev = envs.get(e.toLowerCase());
    if (prev !== undefined && prev !== e) out.push(`environments ${JSON.stringify(prev)} and ${JSON.stringify(e)} differ only in case, but GitHub environment names are case-insensitive; spell them the same`);
    envs.set(e.toLowerCase(), e);
  }
  return out;
}

function runnerProblems(p: PublishJobInputs, o: PublishPipelineOptions): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  if (p.runsOn.length === 0) out.push('runsOn is empty; give at least one runner label, e.g. "ubuntu-latest"');
  for (const [i, l] of p.runsOn.entries()) out.push(runnerLabelProblem(l, `runsOn[${i}]`));
  if (p.runsOn.some(l => typeof l === 'string' && l.toLowerCase() === 'self-hosted') && !(o.allowSelfHostedRunners ?? false)) {
    out.push('runsOn names a self-hosted runner, but the build job runs the code of every pull request (forks included) on it, '
      + 'which can then persist on the machine; use GitHub-hosted runners, or pass allowSelfHostedRunners: true for a private repository whose runners are ephemeral and isolated');
  }
  return out;
}
