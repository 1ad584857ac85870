/**
 * One-line Python programs (run with `python3 -c`) that turn a manifest into a requirements list.
 * Single-quote-free, so they can be single-quoted for the shell.
 * @internal
 */

/** Prints `[project] dependencies` (plus the optional-dependency groups named as arguments), one per line. */
export const PYPROJECT_TO_REQUIREMENTS = [
  'import sys, tomllib',
  'p = tomllib.load(open("pyproject.toml", "rb")).get("project", {})',
  'o = p.get("optional-dependencies", {})',
  'print(*p.get("dependencies", []), *[d for e in sys.argv[1:] for d in (o[e] if e in o else sys.exit("pyproject.toml has no [project.optional-dependencies] group " + e))], sep=chr(10))',
].join('; ');

/** Prints `name==version[; markers]` for every entry of the Pipfile.lock sections named as arguments. */
export const PIPFILE_LOCK_TO_REQUIREMENTS = [
  'import json, sys',
  'lock = json.load(open("Pipfile.lock"))',
  'bad = [n for s in sys.argv[1:] for n, e in lock.get(s, {}).items() if "version" not in e]',
  'bad and sys.exit("Pipfile.lock entries without a pinned version (paths or VCS) are not supported: " + ", ".join(bad))',
  'print(*[n + e["version"] + ("; " + e["markers"] if "markers" in e else "") for s in sys.argv[1:] for n, e in lock.get(s, {}).items()], sep=chr(10))',
].join('; ');
