/**
 * Where a settings stack keeps its local Terraform state by default, as a path that is the same on every
 * machine. Terraform resolves a local backend's relative path against the directory it runs in, which
 * cdktf makes the stack's working directory, `<outdir>/stacks/<stack id>`; the state belongs beside the
 * cdktf app (the working directory of `cdktf synth`, where `cdktf.json` is), outside the committed outdir.
 * @internal
 */
import { isAbsolute, join, relative, resolve, sep } from 'path';
import { App, type TerraformStack } from 'cdktf';

/** The stacks folder of a cdktf outdir (cdktf's `Manifest.stacksFolder`). */
const STACKS_FOLDER = 'stacks';

/**
 * `terraform.<stack id>.tfstate` in the app directory, relative to the stack's working directory:
 * `../../../terraform.<id>.tfstate` for the default outdir `cdktf.out`. An outdir inside the app directory
 * at another depth is followed; an outdir outside it (`--output /elsewhere`) gets the default form, since
 * a path from there to the app directory would name this machine's directories.
 * @internal
 */
export function relativeStatePath(stack: TerraformStack): string {
  const file = `terraform.${stack.node.id}.tfstate`;
  const appDir = process.cwd();
  const outdir = resolve(appDir, App.of(stack).outdir);
  const fromApp = relative(appDir, outdir);
  const inside = fromApp.length > 0 && !fromApp.startsWith('..') && !isAbsolute(fromApp);
  const up = inside ? relative(join(outdir, STACKS_FOLDER, stack.node.id), appDir) : join('..', '..', '..');
  return [...up.split(sep), file].join('/');
}
