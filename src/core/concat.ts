/** Concatenate typed arrays of one kind into a new array (the part itself when there is one). Browser-safe. */
export function concatTyped<T extends Float32Array | Uint8Array>(parts: readonly T[], make: (length: number) => T): T {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = make(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
