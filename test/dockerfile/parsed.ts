/**
 * Test helpers that read rendered Dockerfiles back with `dockerfile-ast` (the parser behind the VS Code
 * Docker extension and `dockerfile-utils`), so tests assert on parsed instructions, flags and arguments
 * rather than on our own text.
 */
import {
  DockerfileParser, Dockerfile, Heredoc, Instruction, JSONInstruction, ModifiableInstruction, Onbuild, PropertyInstruction,
} from 'dockerfile-ast';
import { validate, ValidationCode, ValidatorSettings } from 'dockerfile-utils';

type Range = ReturnType<Instruction['getRange']>;

/** Parses a Dockerfile. */
export function parse(text: string): Dockerfile {
  return DockerfileParser.parse(text);
}

/** The keywords of every instruction, in file order (comments and directives excluded). */
export function keywords(text: string): string[] {
  return parse(text).getInstructions().map(i => i.getKeyword());
}

/** The text a dockerfile-ast range covers (our files only use `\n` line breaks). */
export function textOf(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) throw new Error(`line ${pos.line} is beyond the end of the text`);
    offset = nl + 1;
  }
  return offset + pos.character;
}

/** The flags of an instruction as `[name, value]` pairs (value null for a bare `--link`). */
export function flags(inst: Instruction): Array<[string, string | null]> {
  if (!(inst instanceof ModifiableInstruction)) return [];
  return inst.getFlags().map(f => [f.getName(), f.getValue()]);
}

/**
 * The exec-form (JSON) arguments of an instruction. dockerfile-ast finds the strings (their ranges);
 * its own decoded value drops whitespace and `\uXXXX` escapes, so each raw string is decoded with
 * JSON.parse — and, as BuildKit does, the whole `[...]` text is decoded too and must agree.
 */
export function jsonArgs(text: string, inst: Instruction): string[] {
  if (!(inst instanceof JSONInstruction)) throw new Error(`${inst.getKeyword()} is not a JSON-capable instruction`);
  const open = inst.getOpeningBracket();
  const close = inst.getClosingBracket();
  if (!open || !close) throw new Error(`${inst.getKeyword()} is not in exec (JSON) form: ${textOf(text, inst.getRange())}`);
  const tokens = inst.getJSONStrings().map(s => JSON.parse(textOf(text, s.getRange())) as string);
  const whole = JSON.parse(textOf(text, { start: open.getRange().start, end: close.getRange().end })) as string[];
  expect(whole).toEqual(tokens);
  return tokens;
}

/** The exec-form command of a HEALTHCHECK (the JSON text after `CMD`). */
export function healthcheckExec(text: string, inst: Instruction): string[] {
  const args = inst.getArguments();
  const cmd = args.findIndex(a => a.getValue().toUpperCase() === 'CMD');
  if (cmd < 0) throw new Error('HEALTHCHECK has no CMD');
  const json = textOf(text, { start: args[cmd + 1].getRange().start, end: inst.getRange().end });
  return JSON.parse(json) as string[];
}

/** `[name, value]` of every property of an ENV, LABEL or ARG (value as dockerfile-ast unescapes it). */
export function properties(inst: Instruction): Array<[string, string | null]> {
  if (!(inst instanceof PropertyInstruction)) throw new Error(`${inst.getKeyword()} has no properties`);
  return inst.getProperties().map(p => [p.getName(), p.getValue()]);
}

/**
 * What dockerfile-ast's `Property.getValue()` returns for a value we double-quote literally: it undoes
 * `\"` and `\\` but keeps `\$` as written (it does not model variable expansion; BuildKit reads `\$` as a
 * literal `$`, which the Docker end-to-end suite checks against a real engine).
 */
export function literalPropertyValue(value: string): string {
  return value.replace(/\$/g, '\\$');
}

/**
 * The heredocs of a RUN/COPY (or an ONBUILD trigger) with their bodies, as BuildKit reads them: the lines
 * between the opening line and the delimiter line of the instruction as dockerfile-ast delimited it.
 * (dockerfile-ast's own Heredoc content range applies Dockerfile escapes inside the body, which BuildKit
 * does not, so a body line such as `\$` would shift it.)
 */
export function heredocs(text: string, inst: Instruction): Array<{ name: string; body: string }> {
  const target = inst instanceof Onbuild ? inst.getTriggerInstruction() : inst;
  if (!target) return [];
  const docs: Heredoc[] = (target as unknown as { getHeredocs?: () => Heredoc[] }).getHeredocs?.() ?? [];
  if (docs.length === 0) return [];
  // the model writes at most one heredoc per instruction
  expect(docs).toHaveLength(1);
  const lines = textOf(text, target.getRange()).split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(2);
  const name = docs[0].getName();
  expect(lines[lines.length - 1]).toBe(name);
  return [{ name, body: lines.slice(1, -1).map(l => `${l}\n`).join('') }];
}

/** The shell-form command of a RUN/CMD/ENTRYPOINT, after any flags (as dockerfile-ast reads it). */
export function shellCommand(inst: Instruction): string | null {
  return inst.getRawArgumentsContent();
}

/**
 * `dockerfile-utils` validation of a rendered file, as `line: message (code)` strings.
 *
 * ValidatorSettings has no severity for the two dockerfile-utils 0.16 false positives below, so exactly
 * those diagnostics are dropped, each only where it is false; no other rule is relaxed:
 * - SYNTAX_MISSING_SINGLE_QUOTE/DOUBLE_QUOTE: it checks ENV/LABEL/ARG values for a closing quote *after*
 *   dockerfile-ast removed the quotes, so a correctly double-quoted value that itself starts with `"` or
 *   `'` (`ENV A="'x"`) is reported. Dropped only when every value of that instruction, as written, is one
 *   complete double-quoted word.
 * - UNSUPPORTED_MODIFIER (`${A/x}`): it already exempts RUN, CMD and ENTRYPOINT, whose text BuildKit never
 *   expands, but not SHELL, HEALTHCHECK, an ONBUILD trigger or the body of a quoted `COPY <<'EOF'` heredoc,
 *   which BuildKit does not expand either.
 */
export function lint(text: string, settings?: ValidatorSettings): string[] {
  const insts = parse(text).getInstructions();
  const at = (line: number) => insts.find(i => i.getRange().start.line <= line && line <= i.getRange().end.line);
  return validate(text, settings)
    .filter(d => {
      const inst = at(d.range.start.line);
      if (d.code === ValidationCode.SYNTAX_MISSING_SINGLE_QUOTE || d.code === ValidationCode.SYNTAX_MISSING_DOUBLE_QUOTE) {
        return !(inst instanceof PropertyInstruction && inst.getProperties().every(p => {
          const r = p.getValueRange();
          return r !== null && isDoubleQuotedWord(textOf(text, r));
        }));
      }
      if (d.code === ValidationCode.UNSUPPORTED_MODIFIER) {
        if (['SHELL', 'HEALTHCHECK', 'ONBUILD'].includes(inst?.getKeyword() ?? '')) return false;
        // a quoted heredoc body (`COPY <<'EOF'`), which BuildKit copies verbatim
        return !(inst?.getKeyword() === 'COPY' && heredocs(text, inst).length > 0 && d.range.start.line > inst.getRange().start.line);
      }
      return true;
    })
    .map(d => `${d.range.start.line + 1}: ${d.message} (code ${String(d.code)})`);
}

/** Whether `raw` is exactly one double-quoted word: `"..."` with every inner `"` and `\` escaped. */
export function isDoubleQuotedWord(raw: string): boolean {
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) return false;
  for (let i = 1; i < raw.length - 1; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === '"') return false;
  }
  // the closing quote must not be escaped
  let backslashes = 0;
  for (let i = raw.length - 2; i > 0 && raw[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}
