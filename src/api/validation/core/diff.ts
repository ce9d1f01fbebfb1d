// A compact description of how two JSON values differ, used where upstream appends a cmp.Diff
// to an error (e.g. forbidden pod spec updates). Not byte-identical to Go's cmp output, but it
// names every changed field so users can see what to revert.

export function describeDiff(oldValue: unknown, newValue: unknown, root: string): string {
  const lines: string[] = [];
  walk(oldValue, newValue, root, lines);
  return lines.join('\n');
}

function walk(a: unknown, b: unknown, path: string, lines: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (bothObjects) {
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, lines);
      return;
    }
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) walk(ao[k], bo[k], `${path}.${k}`, lines);
    return;
  }
  if (a !== undefined) lines.push(`  - ${path}: ${JSON.stringify(a)}`);
  if (b !== undefined) lines.push(`  + ${path}: ${JSON.stringify(b)}`);
}
