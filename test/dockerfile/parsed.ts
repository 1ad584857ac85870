/**
 * Test helpers that read rendered Dockerfiles back with `dockerfile-ast` (the parser behind the VS Code
 * Docker extension and `dockerfile-utils`), so tests assert on parsed instructions, flags and arguments
 * rather than on our own text.
 */
import {
  DockerfileParser, Dockerfile, Heredoc, Instruction, JSONInstruction, ModifiableInstruction, Onbuild, PropertyInstruction,
} from 'dockerfile-ast';
import { validate, ValidatorSettings } from 'dockerfile-utils';

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

/** The heredocs of a RUN/COPY (or an ONBUILD trigger) with their bodies, as BuildKit would read them. */
export function heredocs(text: string, inst: Instruction): Array<{ name: string; body: string }> {
  const target = inst instanceof Onbuild ? inst.getTriggerInstruction() : inst;
  const docs: Heredoc[] = (target as unknown as { getHeredocs?: () => Heredoc[] }).getHeredocs?.() ?? [];
  return docs.map(h => {
    const range = h.getContentRange();
    // a body's last line ends with the newline before the delimiter; dockerfile-ast's range stops before it
    return { name: h.getName(), body: range === null ? '' : `${textOf(text, range)}\n` };
  });
}

/** The shell-form command of a RUN/CMD/ENTRYPOINT, after any flags (as dockerfile-ast reads it). */
export function shellCommand(inst: Instruction): string | null {
  return inst.getRawArgumentsContent();
}

/**
 * `dockerfile-utils` validation of a rendered file. No rule is relaxed: our output is plain BuildKit
 * syntax (heredocs, `--mount`, `--link`, `--chmod`, `# check=`) that dockerfile-utils 0.16 understands.
 */
export function lint(text: string, settings?: ValidatorSettings) {
  return validate(text, settings).map(d => `${d.range.start.line + 1}: ${d.message} (code ${String(d.code)})`);
}
