/**
 * A parser for the TypeScript declarations jco emits for a component (`*.d.ts`), enough to map JSON to the
 * values jco's bindings expect: where a WIT value is a BigInt, a typed array, an option, a result or a record.
 */
export type TypeExpr =
  | { k: 'prim'; name: 'number' | 'bigint' | 'string' | 'boolean' | 'void' | 'unknown' }
  | { k: 'typed'; name: string }
  | { k: 'array'; of: TypeExpr }
  | { k: 'tuple'; items: TypeExpr[] }
  | { k: 'option'; of: TypeExpr }
  | { k: 'result'; ok: TypeExpr; err: TypeExpr }
  | { k: 'union'; items: TypeExpr[] }
  | { k: 'lit'; value: string }
  | { k: 'object'; fields: Record<string, TypeExpr> }
  | { k: 'ref'; name: string };

/** A function declared in an interface (or the world). */
export interface FuncDecl {
  name: string;
  params: { name: string; type: TypeExpr }[];
  result: TypeExpr;
}

/** Declarations of one `.d.ts` file. */
export interface DtsModule {
  funcs: Map<string, FuncDecl>;
  types: Map<string, TypeExpr>;
}

const TYPED =
  /^(Uint8Array|Int8Array|Uint16Array|Int16Array|Uint32Array|Int32Array|BigUint64Array|BigInt64Array|Float32Array|Float64Array)$/;

class P {
  i = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  ws(): void {
    for (;;) {
      const m = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(this.s.slice(this.i));
      if (!m) return;
      this.i += m[0].length;
    }
  }
  peek(t: string): boolean {
    this.ws();
    return this.s.startsWith(t, this.i);
  }
  eat(t: string): boolean {
    if (this.peek(t)) {
      this.i += t.length;
      return true;
    }
    return false;
  }
  expect(t: string): void {
    if (!this.eat(t)) throw new Error(`d.ts: expected "${t}" at ${this.s.slice(this.i, this.i + 40)}`);
  }
  ident(): string {
    this.ws();
    const m = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`d.ts: expected a name at ${this.s.slice(this.i, this.i + 40)}`);
    this.i += m[0].length;
    return m[0];
  }
  key(): string {
    this.ws();
    const q = /^'([^']*)'/.exec(this.s.slice(this.i));
    if (q) {
      this.i += q[0].length;
      return q[1] ?? '';
    }
    return this.ident();
  }
  type(): TypeExpr {
    this.eat('|');
    const items = [this.primary()];
    while (this.eat('|')) items.push(this.primary());
    if (items.length === 1) return items[0] as TypeExpr;
    const rest = items.filter((t) => !(t.k === 'ref' && t.name === 'undefined'));
    if (rest.length < items.length)
      return { k: 'option', of: rest.length === 1 ? (rest[0] as TypeExpr) : { k: 'union', items: rest } };
    return { k: 'union', items };
  }
  primary(): TypeExpr {
    if (this.eat('[')) {
      const items: TypeExpr[] = [];
      while (!this.eat(']')) {
        items.push(this.type());
        this.eat(',');
      }
      return { k: 'tuple', items };
    }
    if (this.eat('{')) return { k: 'object', fields: this.fields('}') };
    this.ws();
    const lit = /^'([^']*)'/.exec(this.s.slice(this.i));
    if (lit) {
      this.i += lit[0].length;
      return { k: 'lit', value: lit[1] ?? '' };
    }
    const name = this.ident();
    if (name === 'Array' && this.eat('<')) {
      const of = this.type();
      this.expect('>');
      return { k: 'array', of };
    }
    if (name === 'Result' && this.eat('<')) {
      const ok = this.type();
      this.expect(',');
      const err = this.type();
      this.expect('>');
      return { k: 'result', ok, err };
    }
    if (this.eat('<')) {
      let depth = 1; // other generics: skip
      while (depth > 0 && this.i < this.s.length) {
        const c = this.s[this.i++];
        if (c === '<') depth++;
        if (c === '>') depth--;
      }
      return { k: 'prim', name: 'unknown' };
    }
    if (name === 'number' || name === 'bigint' || name === 'string' || name === 'boolean' || name === 'void')
      return { k: 'prim', name };
    if (TYPED.test(name)) return { k: 'typed', name };
    return { k: 'ref', name };
  }
  fields(close: string): Record<string, TypeExpr> {
    const fields: Record<string, TypeExpr> = {};
    while (!this.eat(close)) {
      const k = this.key();
      this.eat('?');
      this.expect(':');
      fields[k] = this.type();
      if (!this.eat(',')) this.eat(';');
    }
    return fields;
  }
  params(): { name: string; type: TypeExpr }[] {
    const out: { name: string; type: TypeExpr }[] = [];
    this.expect('(');
    while (!this.eat(')')) {
      const name = this.ident();
      this.expect(':');
      out.push({ name, type: this.type() });
      this.eat(',');
    }
    return out;
  }
}

/** Parses one jco-generated declaration file; unknown statements (classes, imports) are skipped. */
export function parseDts(text: string): DtsModule {
  const mod: DtsModule = { funcs: new Map(), types: new Map() };
  const p = new P(text);
  while (p.i < text.length) {
    p.ws();
    if (p.i >= text.length) break;
    const start = p.i;
    try {
      if (p.eat('export function ')) {
        const name = p.ident();
        const params = p.params();
        p.expect(':');
        mod.funcs.set(name, { name, params, result: p.type() });
        p.eat(';');
        continue;
      }
      if (p.eat('export interface ')) {
        const name = p.ident();
        p.expect('{');
        mod.types.set(name, { k: 'object', fields: p.fields('}') });
        continue;
      }
      if (p.eat('export type ')) {
        const name = p.ident();
        if (p.eat('<')) while (!p.eat('>')) p.i++;
        p.expect('=');
        mod.types.set(name, p.type());
        p.eat(';');
        continue;
      }
    } catch {
      p.i = start;
    }
    skipStatement(p);
  }
  return mod;
}

function skipStatement(p: P): void {
  let depth = 0;
  while (p.i < p.s.length) {
    const c = p.s[p.i++];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth <= 0) return;
    } else if ((c === ';' || c === '\n') && depth === 0) return;
  }
}
