/**
 * The README's TypeScript snippets as programs (see "Contributing: README snippets" in README.md).
 *
 * Every ```ts fence is preceded, on the line right above it, by a marker comment:
 *
 *   <!-- snippet: NAME; edit: "FROM" -> "TO" -->                      a complete `.projenrc.ts`
 *   <!-- snippet: NAME; continues: BASE; edit: "FROM" -> "TO" -->      BASE's program with this fence inserted
 *                                                                     before BASE's final `project.synth();`
 *   <!-- snippet: NAME; cdktf: infra/main.ts of BASE -->               a cdktf app's main.ts, written to that path
 *                                                                     in the output of BASE's program
 *
 * `edit` names the change the test makes to this fence before the last run (FROM must occur in the fence; both
 * are JSON strings); the run after it must change a generated file. `no-post` runs projen without its
 * post-synthesis step (which installs dependencies from a registry other than npm, e.g. `poetry install`).
 */

/** A change to a fence: its first occurrence of `from` becomes `to`. */
export interface SnippetEdit {
  readonly from: string;
  readonly to: string;
}

/** One marked fence of the README. */
export interface Fence {
  readonly name: string;
  /** The program this fence continues. */
  readonly continues?: string;
  readonly edit?: SnippetEdit;
  /** For a cdktf main.ts: where it goes, in the output of which program. */
  readonly cdktf?: { readonly path: string; readonly program: string };
  readonly noPost: boolean;
  /** The fence's text, without the ``` lines, ending with a newline. */
  readonly code: string;
  /** 1-based line of the fence's opening ```. */
  readonly line: number;
}

/** A program the test runs: a `.projenrc.ts` (a chain of fences) or a cdktf `main.ts`. */
export interface Program {
  readonly name: string;
  readonly kind: 'projenrc' | 'cdktf';
  /** The fences it is made of, the complete one first. */
  readonly fences: readonly Fence[];
  /** This program's own fence (the last of `fences`). */
  readonly fence: Fence;
  /** Whether projen runs without its post-synthesis step (some fence of the program says `no-post`). */
  readonly noPost: boolean;
  /** The program's text; with `edited`, with this fence's edit applied. */
  source(edited?: boolean): string;
}

const SYNTH_LINE = /^\s*(?:project|app)\.synth\(\);?\s*(?:\/\/.*)?$/;
const NAME = /^[a-z][a-z0-9-]*$/;

/** Parses one marker comment's fields; returns the fence fields or a problem. */
function parseMarker(body: string): Omit<Fence, 'code' | 'line'> | string {
  let rest = body.trim();
  const fields: Record<string, unknown> = {};
  while (rest.length > 0) {
    const key = /^([a-z-]+)\s*(:?)\s*/.exec(rest);
    if (!key) return `cannot read the marker at ${JSON.stringify(rest)}`;
    rest = rest.slice(key[0].length);
    const name = key[1];
    if (name in fields) return `field "${name}" is given twice`;
    if (name === 'no-post') {
      if (key[2]) return 'no-post takes no value';
      fields[name] = true;
    } else if (name === 'edit') {
      const m = /^("(?:[^"\\]|\\.)*")\s*->\s*("(?:[^"\\]|\\.)*")\s*/.exec(rest);
      if (!m) return 'edit must be "FROM" -> "TO" (two JSON strings)';
      fields.edit = { from: JSON.parse(m[1]), to: JSON.parse(m[2]) };
      rest = rest.slice(m[0].length);
    } else if (['snippet', 'continues', 'cdktf'].includes(name)) {
      const m = /^([^;]*)/.exec(rest)!;
      fields[name] = m[1].trim();
      rest = rest.slice(m[1].length);
    } else {
      return `unknown field "${name}" (snippet, continues, cdktf, edit, no-post)`;
    }
    rest = rest.replace(/^\s*;\s*/, '');
  }
  if (typeof fields.snippet !== 'string' || !NAME.test(fields.snippet)) return 'every marker needs "snippet: <name>" (lowercase letters, digits, "-")';
  let cdktf: Fence['cdktf'];
  if (fields.cdktf !== undefined) {
    const m = /^(\S+\.ts) of ([a-z][a-z0-9-]*)$/.exec(String(fields.cdktf));
    if (!m) return 'cdktf must be "<path>.ts of <program>"';
    cdktf = { path: m[1], program: m[2] };
    if (fields.continues !== undefined) return 'a cdktf main.ts is a complete program: it cannot continue another';
  }
  return {
    name: fields.snippet,
    continues: fields.continues as string | undefined,
    edit: fields.edit as SnippetEdit | undefined,
    cdktf,
    noPost: fields['no-post'] === true,
  };
}

/** Every marked fence of a README, and every problem with the markers. */
export function parseReadme(text: string): { fences: Fence[]; problems: string[] } {
  const lines = text.split('\n');
  const fences: Fence[] = [];
  const problems: string[] = [];
  let inFence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (inFence !== undefined) {
      if (/^```\s*$/.test(lines[i])) inFence = undefined;
      continue;
    }
    const marker = /^<!--\s*((?:snippet|continues|cdktf)\b[\s\S]*?)\s*-->\s*$/.exec(lines[i]);
    if (marker && !/^```(ts|typescript)\s*$/.test(lines[i + 1] ?? '')) {
      problems.push(`line ${i + 1}: a snippet marker must be on the line right above a \`\`\`ts fence`);
    }
    if (!open) continue;
    inFence = open[1];
    if (open[1] !== 'ts' && open[1] !== 'typescript') continue;
    const before = /^<!--\s*([\s\S]*?)\s*-->\s*$/.exec(lines[i - 1] ?? '');
    if (!before) {
      problems.push(`line ${i + 1}: a \`\`\`ts fence without a snippet marker on the line above (see "Contributing: README snippets")`);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) {
      problems.push(`line ${i + 1}: the fence is never closed`);
      break;
    }
    const parsed = parseMarker(before[1]);
    if (typeof parsed === 'string') {
      problems.push(`line ${i}: ${parsed}`);
      continue;
    }
    fences.push({ ...parsed, code: `${lines.slice(i + 1, end).join('\n')}\n`, line: i + 1 });
  }
  return { fences, problems };
}

function applyEdit(code: string, edit: SnippetEdit | undefined): string {
  if (!edit) return code;
  const at = code.indexOf(edit.from);
  return at < 0 ? code : code.slice(0, at) + edit.to + code.slice(at + edit.from.length);
}

/** Inserts `fence` before the base program's final `project.synth();` line. */
function insertBeforeSynth(base: string, fence: string): string {
  const lines = base.replace(/\n+$/, '').split('\n');
  const last = lines.length - 1;
  return `${[...lines.slice(0, last), fence.replace(/\n+$/, ''), '', lines[last]].join('\n')}\n`;
}

/** The programs of the fences, in README order, and every problem in how they are put together. */
export function programsOf(fences: readonly Fence[]): { programs: Program[]; problems: string[] } {
  const programs = new Map<string, Program>();
  const problems: string[] = [];
  for (const fence of fences) {
    const where = `line ${fence.line} (snippet ${fence.name})`;
    if (programs.has(fence.name)) {
      problems.push(`${where}: the name is already used`);
      continue;
    }
    if (fence.edit && !fence.code.includes(fence.edit.from)) {
      problems.push(`${where}: the edit's ${JSON.stringify(fence.edit.from)} does not occur in the snippet`);
    }
    if (fence.edit && fence.edit.from === fence.edit.to) problems.push(`${where}: the edit changes nothing`);
    if (fence.cdktf) {
      if (!programs.has(fence.cdktf.program)) problems.push(`${where}: cdktf ... of "${fence.cdktf.program}": no earlier snippet has that name`);
      programs.set(fence.name, {
        name: fence.name,
        kind: 'cdktf',
        fences: [fence],
        fence,
        noPost: fence.noPost,
        source: edited => (edited ? applyEdit(fence.code, fence.edit) : fence.code),
      });
      continue;
    }
    if (!fence.edit) problems.push(`${where}: a .projenrc.ts snippet needs an edit ("edit: \\"FROM\\" -> \\"TO\\"") that must change the output`);
    let chain: Fence[] = [fence];
    if (fence.continues !== undefined) {
      const base = programs.get(fence.continues);
      if (!base || base.kind !== 'projenrc') {
        problems.push(`${where}: continues "${fence.continues}", which is not an earlier .projenrc.ts snippet`);
        continue;
      }
      chain = [...base.fences, fence];
    }
    if (!SYNTH_LINE.test(chain[0].code.replace(/\n+$/, '').split('\n').pop() ?? '')) {
      problems.push(`${where}: the program ${chain[0].name} must end with "project.synth();" (continuations are inserted before it)`);
      continue;
    }
    const own = chain;
    programs.set(fence.name, {
      name: fence.name,
      kind: 'projenrc',
      fences: own,
      fence,
      noPost: own.some(f => f.noPost),
      source: (edited = false) => own.slice(1).reduce(
        (text, f) => insertBeforeSynth(text, edited && f === fence ? applyEdit(f.code, f.edit) : f.code),
        edited && own.length === 1 ? applyEdit(own[0].code, own[0].edit) : own[0].code,
      ),
    });
  }
  return { programs: [...programs.values()], problems };
}
