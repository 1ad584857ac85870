/**
 * Python programs (run with `python3 -c`) that turn a manifest into a requirements list, one
 * requirement per line on stdout. The longer ones are written as readable Python and passed as
 * `exec("<source>")`: a JSON string literal is also a valid Python string literal, and the whole
 * argument stays on one RUN line. None of them holds a single quote, so the shell quoting stays plain.
 * @internal
 */

/** `python3 -c` argument that runs `source` (multi-line Python) from one line. @internal */
export function execProgram(source: string): string {
  return `exec(${JSON.stringify(source)})`;
}

/**
 * Prints `[project] dependencies` of pyproject.toml plus, per argument, an optional-dependency group
 * (`extra:NAME`) or a PEP 735 dependency group (`group:NAME`, `{include-group = ...}` followed).
 */
export const PYPROJECT_TO_REQUIREMENTS = execProgram(`import sys, tomllib
pyproject = tomllib.load(open("pyproject.toml", "rb"))
project = pyproject.get("project", {})
if "dependencies" in project.get("dynamic", []):
    sys.exit("pyproject.toml declares [project] dependencies as dynamic, which cannot be read without building the project; list them in [project] dependencies")
extras = project.get("optional-dependencies", {})
groups = pyproject.get("dependency-groups", {})
def group(name, seen):
    if name not in groups:
        sys.exit("pyproject.toml has no [dependency-groups] group " + name)
    if name in seen:
        sys.exit("pyproject.toml [dependency-groups] include each other in a cycle: " + " -> ".join(seen + [name]))
    for entry in groups[name]:
        if isinstance(entry, dict):
            yield from group(entry.get("include-group", ""), seen + [name])
        else:
            yield entry
out = list(project.get("dependencies", []))
for arg in sys.argv[1:]:
    kind, _, name = arg.partition(":")
    if kind == "extra":
        if name not in extras:
            sys.exit("pyproject.toml has no [project.optional-dependencies] group " + name)
        out += extras[name]
    else:
        out += list(group(name, []))
print(*out, sep=chr(10))
`);

/**
 * Prints Poetry's `[tool.poetry.dependencies]` (without `python`) as PEP 508 requirements, plus the
 * dependencies of each group named as an argument (`[tool.poetry.group.NAME.dependencies]`; for `dev`,
 * the older `[tool.poetry.dev-dependencies]` when there is no such group). Poetry's `^` and `~` become
 * PEP 440 ranges, a bare version `==`, `*` no constraint; `path`, `git` and `url` entries become direct
 * references; `python` and `platform` restrictions become markers. What requirements cannot express
 * (`||`, lists of constraints, unknown keys) fails the build with the entry's name.
 */
export const POETRY_TO_REQUIREMENTS = execProgram(`import pathlib, re, sys, tomllib
poetry = tomllib.load(open("pyproject.toml", "rb")).get("tool", {}).get("poetry", {})
def fail(name, why):
    sys.exit("pyproject.toml [tool.poetry] dependency " + name + ": " + why)
def release(version):
    m = re.match(r"\\d+(\\.\\d+)*", version)
    return [int(x) for x in m.group(0).split(".")] if m else None
def dotted(parts):
    return ".".join(str(x) for x in parts)
def clauses(name, constraint):
    if "||" in constraint:
        fail(name, "\\"" + constraint + "\\" uses ||, which a requirement cannot express; give one range")
    text = re.sub(r"([<>=!~^])\\s+", r"\\1", constraint.strip())
    out = []
    for c in [c for c in re.split(r"\\s*,\\s*|\\s+", text) if c and c != "*"]:
        op = re.match(r"(===|==|!=|~=|<=|>=|<|>|\\^|~)?", c).group(0)
        version = c[len(op):]
        parts = release(version)
        if op in ("^", "~"):
            if parts is None:
                fail(name, "\\"" + c + "\\" is not a version constraint")
            if op == "^":
                i = next((k for k, x in enumerate(parts) if x != 0), len(parts) - 1)
            else:
                i = 0 if len(parts) == 1 else 1
            out += [">=" + version, "<" + dotted(parts[:i] + [parts[i] + 1])]
        elif op:
            out.append(c)
        else:
            out.append("==" + c)
    return out
def requirement(name, spec):
    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        fail(name, "a list of constraints is not supported; give one constraint")
    unknown = set(spec) - {"version", "extras", "markers", "python", "platform", "optional", "path", "git", "branch", "tag", "rev", "subdirectory", "url", "develop", "source", "allow-prereleases"}
    if unknown:
        fail(name, "unsupported keys " + ", ".join(sorted(unknown)))
    if spec.get("optional"):
        return None
    head = name + ("[" + ",".join(spec["extras"]) + "]" if spec.get("extras") else "")
    if "path" in spec:
        head += " @ " + pathlib.Path(spec["path"]).resolve().as_uri()
    elif "git" in spec:
        ref = spec.get("rev") or spec.get("tag") or spec.get("branch")
        head += " @ git+" + spec["git"] + ("@" + ref if ref else "") + ("#subdirectory=" + spec["subdirectory"] if spec.get("subdirectory") else "")
    elif "url" in spec:
        head += " @ " + spec["url"]
    else:
        head += ",".join(clauses(name, spec.get("version", "*")))
    markers = [m for m in [spec.get("markers")] if m]
    markers += ["python_full_version " + re.match(r"[<>=!~]+", c).group(0) + " \\"" + re.sub(r"^[<>=!~]+", "", c) + "\\"" for c in clauses(name, spec.get("python", "*"))]
    if spec.get("platform"):
        markers.append("sys_platform == \\"" + spec["platform"] + "\\"")
    return head + ("; " + " and ".join("(" + m + ")" if " or " in m else m for m in markers) if markers else "")
def table(t):
    return [r for r in (requirement(n, s) for n, s in t.items() if n != "python") if r]
out = table(poetry.get("dependencies", {}))
groups = poetry.get("group", {})
for g in sys.argv[1:]:
    if g in groups:
        out += table(groups[g].get("dependencies", {}))
    elif g == "dev" and "dev-dependencies" in poetry:
        out += table(poetry["dev-dependencies"])
    else:
        sys.exit("pyproject.toml has no [tool.poetry.group." + g + ".dependencies]")
print(*out, sep=chr(10))
`);

/** Prints `name==version[; markers]` for every entry of the Pipfile.lock sections named as arguments. */
export const PIPFILE_LOCK_TO_REQUIREMENTS = [
  'import json, sys',
  'lock = json.load(open("Pipfile.lock"))',
  'bad = [n for s in sys.argv[1:] for n, e in lock.get(s, {}).items() if "version" not in e]',
  'bad and sys.exit("Pipfile.lock entries without a pinned version (paths or VCS) are not supported: " + ", ".join(bad))',
  'print(*[n + e["version"] + ("; " + e["markers"] if "markers" in e else "") for s in sys.argv[1:] for n, e in lock.get(s, {}).items()], sep=chr(10))',
].join('; ');
