import { Component, FileBase, IResolver, Project } from 'projen';
import { ensureValidationGate } from './validation-gate';
import { codeOwnerProblem, codeOwnersLocations, codeOwnersPatternProblem, quoteValue } from '../core/github-names';
import { characterProblem, TextKind } from '../core/text-rules';

/** One line of a CODEOWNERS file: the files a pattern matches, and who owns them. */
export interface CodeOwnersRule {
  /**
   * The files, in CODEOWNERS syntax (gitignore's, without `!`, `[ ]` and
   * `\` escapes): `*`, `*.ts`, `/docs/`, `.github/workflows/`. The last
   * matching rule wins.
   */
  readonly pattern: string;

  /**
   * The owners: users as `@login`, teams of the owning organization as
   * `@org/team-slug`. Each needs write access to the repository. An empty
   * list makes the matched files unowned (an exception to an earlier rule).
   */
  readonly owners: string[];

  /**
   * A comment written on the line above the rule.
   * @default - no comment
   */
  readonly comment?: string;
}

/** Options of `CodeOwners`. */
export interface CodeOwnersOptions {
  /**
   * The rules, in order (the last matching rule wins); more can be added with `addRule`.
   * @default - none
   */
  readonly rules?: CodeOwnersRule[];

  /**
   * Where to write the file: one of the places GitHub reads it from
   * (`.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`; the first one
   * present is used).
   * @default ".github/CODEOWNERS"
   */
  readonly path?: string;
}

/**
 * The repository's CODEOWNERS file, generated from typed rules: GitHub asks
 * the owners of the files a pull request changes for a review, and with
 * `requireCodeOwnerReview` on the repository settings, their approval is
 * required to merge (Scorecard's Branch-Protection tier 4 asks for it).
 *
 * Patterns and owners are checked before projen writes anything, every
 * problem at once: patterns per GitHub's CODEOWNERS syntax (a line GitHub
 * cannot parse is ignored there, silently), owners per GitHub's login and
 * team-slug rules. Whether each owner exists and has write access is only
 * known to GitHub: it shows errors on the file's page.
 */
export class CodeOwners extends Component {
  /** Where GitHub reads a CODEOWNERS file from, in its order. */
  public static readonly LOCATIONS: string[] = [...codeOwnersLocations()];

  /** The file, relative to the project root. */
  public readonly path: string;
  private readonly ruleList: CodeOwnersRule[] = [];

  constructor(project: Project, options: CodeOwnersOptions = {}) {
    super(project, freeId(project, 'CodeOwners'));
    this.path = options.path ?? CodeOwners.LOCATIONS[0];
    for (const rule of options.rules ?? []) this.ruleList.push(rule);
    ensureValidationGate(project);
    this.node.addValidation({ validate: () => this.problems() });
    new CodeOwnersFile(this, this.path);
  }

  /** The rules, in order. */
  public get rules(): CodeOwnersRule[] {
    return [...this.ruleList];
  }

  /**
   * Adds a rule after the others (a later rule wins over earlier ones for the files both match).
   * @param pattern the files, e.g. `*.ts` or `/docs/`
   * @param owners `@login` or `@org/team-slug` each
   * @param comment a comment for the line above
   */
  public addRule(pattern: string, owners: string[], comment?: string): void {
    this.ruleList.push({ pattern, owners, comment });
  }

  /**
   * The file's text: each rule on one line, with its comment above it.
   * @param marker a first comment line (projen writes its "generated" notice)
   */
  public render(marker?: string): string {
    const lines = marker ? [`# ${marker}`] : [];
    for (const rule of this.ruleList) {
      if (rule.comment !== undefined) lines.push(...rule.comment.split('\n').map(l => `# ${l}`.trimEnd()));
      lines.push([rule.pattern, ...rule.owners].join(' '));
    }
    return `${lines.join('\n')}\n`;
  }

  private problems(): string[] {
    const problems: string[] = [];
    if (!CodeOwners.LOCATIONS.includes(this.path)) {
      problems.push(`path ${quoteValue(this.path)} is not a place GitHub reads CODEOWNERS from: use one of ${CodeOwners.LOCATIONS.join(', ')}`);
    }
    const others = this.project.components.filter(c => c instanceof CodeOwners && c !== this);
    if (others.length > 0) {
      problems.push(`the project has another CodeOwners (${others.map(o => o.node.path).join(', ')}); GitHub reads one CODEOWNERS file: keep one`);
    }
    if (this.ruleList.length === 0) {
      problems.push('there is no rule, so no file would have a code owner: add one, e.g. addRule("*", ["@your-login"])');
    }
    const seen = new Set<string>();
    this.ruleList.forEach((rule, i) => {
      const what = `rule ${i + 1}`;
      const pattern = codeOwnersPatternProblem(rule.pattern, `${what} pattern`);
      if (pattern) problems.push(pattern);
      if (!Array.isArray(rule.owners)) {
        problems.push(`${what} (${quoteValue(rule.pattern)}) owners must be a list of "@login" or "@org/team-slug", got ${quoteValue(rule.owners)}`);
      } else {
        const owners = new Set<string>();
        for (const owner of rule.owners) {
          const p = codeOwnerProblem(owner, `${what} (${quoteValue(rule.pattern)}) owner`);
          if (p) problems.push(p);
          else if (owners.has(owner.toLowerCase())) problems.push(`${what} (${quoteValue(rule.pattern)}) lists ${owner} twice: remove one`);
          else owners.add(owner.toLowerCase());
        }
      }
      if (rule.comment !== undefined) {
        const c = typeof rule.comment === 'string' ? characterProblem(rule.comment, `${what} comment`, TextKind.BODY) : `${what} comment must be a string`;
        if (c) problems.push(c);
      }
      if (typeof rule.pattern === 'string' && seen.has(rule.pattern)) {
        problems.push(`${what} repeats the pattern ${quoteValue(rule.pattern)} of an earlier rule, which it overrides entirely: merge their owners into one rule`);
      }
      seen.add(rule.pattern);
    });
    return problems;
  }
}

/** `base`, or `base2`, `base3`... when the project already has a child of that name. */
function freeId(project: Project, base: string): string {
  let id = base;
  for (let n = 2; project.node.tryFindChild(id) !== undefined; n++) id = `${base}${n}`;
  return id;
}

/** The CODEOWNERS file: read-only, with projen's marker. */
class CodeOwnersFile extends FileBase {
  constructor(private readonly owners: CodeOwners, path: string) {
    super(owners, path, { committed: true });
  }
  protected synthesizeContent(_: IResolver): string | undefined {
    return this.owners.render(this.marker);
  }
}
