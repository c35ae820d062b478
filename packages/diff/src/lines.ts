/**
 * A unified line diff (Myers' O(ND) algorithm), for text no structure fits: runbook sections,
 * configuration files, multi-line values.
 */

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** The shortest edit script from `a` to `b`, common prefix and suffix trimmed first. */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((line) => ({ op: ' ' as const, line }));
  const tail = a.slice(endA).map((line) => ({ op: ' ' as const, line }));
  return [...head, ...myers(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function myers(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: '+', line }));
  if (m === 0) return a.map((line) => ({ op: '-', line }));
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  // Walk back through the saved frontiers.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const frontier = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
    const previousK = down ? k + 1 : k - 1;
    const previousX = frontier[offset + previousK] ?? 0;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      edits.push({ op: ' ', line: a[--x] ?? '' });
      y--;
    }
    if (down) edits.push({ op: '+', line: b[--y] ?? '' });
    else edits.push({ op: '-', line: a[--x] ?? '' });
  }
  while (x > 0 && y > 0) {
    edits.push({ op: ' ', line: a[--x] ?? '' });
    y--;
  }
  return edits.reverse();
}

/** Lines of a text; a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Unified-diff lines between two texts (`@@ -a,b +c,d @@` hunks with `context` lines around each
 * change); empty when they are equal line by line.
 */
export function unifiedLines(before: string, after: string, context = 2): string[] {
  const edits = editScript(splitLines(before), splitLines(after));
  if (edits.every((e) => e.op === ' ')) return [];
  const out: string[] = [];
  // Positions (1-based) of each edit in the old and the new text.
  let oldLine = 1;
  let newLine = 1;
  const positioned = edits.map((edit) => {
    const at = { ...edit, old: oldLine, new: newLine };
    if (edit.op !== '+') oldLine++;
    if (edit.op !== '-') newLine++;
    return at;
  });
  let i = 0;
  while (i < positioned.length) {
    if (positioned[i]?.op === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2 × context unchanged lines from the next.
    const from = Math.max(0, i - context);
    let to = i;
    while (to < positioned.length) {
      let next = to;
      while (next < positioned.length && positioned[next]?.op !== ' ') next++;
      let gap = next;
      while (gap < positioned.length && positioned[gap]?.op === ' ') gap++;
      if (gap < positioned.length && gap - next <= 2 * context) to = gap;
      else {
        to = Math.min(positioned.length, next + context);
        break;
      }
    }
    const hunk = positioned.slice(from, to);
    const first = hunk[0];
    const oldCount = hunk.filter((e) => e.op !== '+').length;
    const newCount = hunk.filter((e) => e.op !== '-').length;
    const oldStart = oldCount === 0 ? (first?.old ?? 1) - 1 : (first?.old ?? 1);
    const newStart = newCount === 0 ? (first?.new ?? 1) - 1 : (first?.new ?? 1);
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const edit of hunk) out.push(`${edit.op}${edit.line}`);
    i = to;
  }
  return out;
}
