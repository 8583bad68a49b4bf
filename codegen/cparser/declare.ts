// Renders a CType back to a C declaration: declare(fnptr, 'cbk') -> 'void (*cbk)(void *udta, u32 x)'.
// Built inside-out like C's declarator syntax: pointers prefix the declarator, arrays and parameter
// lists suffix it, and a pointer to an array/function needs parentheses.

import type { CParam, CType } from '../ir-types.js';

export function declare(type: CType, name: string | null): string {
  return render(type, name ?? '');
}

function render(t: CType, inner: string): string {
  switch (t.kind) {
    case 'named': {
      const base = t.const ? `const ${t.name}` : t.name;
      return inner ? `${base} ${inner}` : base;
    }
    case 'pointer': {
      const star = t.const ? (inner ? `*const ${inner}` : '*const') : `*${inner}`;
      const needsParens = t.to.kind === 'array' || t.to.kind === 'function';
      return render(t.to, needsParens ? `(${star})` : star);
    }
    case 'array':
      return render(t.of, `${inner}[${t.size ?? ''}]`);
    case 'function':
      return render(t.returns, `${inner}(${paramList(t.params, t.variadic)})`);
  }
}

export function paramList(params: readonly CParam[], variadic: boolean): string {
  const parts = params.map((p) => declare(p.type, p.name));
  if (variadic) parts.push('...');
  return parts.length ? parts.join(', ') : 'void';
}
