// "Did you mean": names close to a misspelt one, for unknown-label findings.

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(up + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** Up to three of `names` within a typo's distance of `name`, closest first. */
export function similarNames(names: Iterable<string>, name: string): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  const scored: [number, string][] = [];
  for (const n of names) {
    if (Math.abs(n.length - name.length) > limit) continue;
    const d = editDistance(n, name);
    if (d <= limit) scored.push([d, n]);
  }
  return scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)).slice(0, 3).map((s) => s[1]);
}
