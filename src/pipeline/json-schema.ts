/**
 * The subset of JSON Schema the generated manifest schema uses (objects with properties and required,
 * arrays with items, primitive types, local `$ref`s), and a checker that reports one problem per
 * top-level property, each describing the expected shape in words.
 * @internal
 */

/** A JSON Schema node of the supported subset. @internal */
export interface JsonSchema {
  readonly $schema?: string;
  readonly title?: string;
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'boolean';
  readonly properties?: { readonly [name: string]: JsonSchema };
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly $ref?: string;
  readonly $defs?: { readonly [name: string]: JsonSchema };
}

/** Whether `value` is a plain JSON object. @internal */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `value` against the schema and describes schemas in words, resolving `$ref` in `root`. @internal */
export class SchemaChecker {
  constructor(private readonly root: JsonSchema) {}

  /** Whether `value` matches `schema`. */
  public matches(value: unknown, schema: JsonSchema): boolean {
    const s = this.resolve(schema);
    switch (s.type) {
      case 'string': return typeof value === 'string';
      case 'number': return typeof value === 'number' && Number.isFinite(value);
      case 'boolean': return typeof value === 'boolean';
      case 'array': return Array.isArray(value) && (s.items === undefined || value.every(v => this.matches(v, s.items!)));
      case 'object': {
        if (!isJsonObject(value)) return false;
        const own = (k: string) => Object.prototype.hasOwnProperty.call(value, k);
        if ((s.required ?? []).some(k => !own(k) || value[k] === undefined)) return false;
        return Object.entries(s.properties ?? {}).every(([k, p]) => !own(k) || value[k] === undefined || this.matches(value[k], p));
      }
      default: return true;
    }
  }

  /** The shape `schema` asks for, in words ("an array of strings"). */
  public describe(schema: JsonSchema): string {
    const s = this.resolve(schema);
    switch (s.type) {
      case 'array': return s.items ? `an array of ${this.plural(s.items)}` : 'an array';
      case 'object': {
        const required = new Set(s.required ?? []);
        const fields = Object.entries(s.properties ?? {}).map(([k, p]) => `${k}${required.has(k) ? '' : '?'}: ${this.short(p)}`);
        return `an object { ${fields.join(', ')} }`;
      }
      default: return `a ${s.type ?? 'value'}`;
    }
  }

  private plural(schema: JsonSchema): string {
    const s = this.resolve(schema);
    return s.type === 'object' ? `objects ${this.describe(s).slice('an object '.length)}` : s.type === 'array' ? `arrays of ${this.plural(s.items ?? {})}` : `${s.type ?? 'value'}s`;
  }

  private short(schema: JsonSchema): string {
    const s = this.resolve(schema);
    return s.type === 'array' ? `${this.short(s.items ?? {})}[]` : s.type === 'object' ? 'object' : s.type ?? 'value';
  }

  private resolve(schema: JsonSchema): JsonSchema {
    if (schema.$ref === undefined) return schema;
    const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name !== undefined ? this.root.$defs?.[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return target;
  }
}
