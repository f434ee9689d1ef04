/** Output helpers: a table on a TTY (coloured) or plain text, or JSON with `-o json`. */
export type OutputFormat = 'text' | 'json';

const useColor = (): boolean => !!process.stdout.isTTY && !process.env['NO_COLOR'];
const bold = (s: string): string => (useColor() ? `\x1b[1m${s}\x1b[0m` : s);
export const dim = (s: string): string => (useColor() ? `\x1b[2m${s}\x1b[0m` : s);
export const green = (s: string): string => (useColor() ? `\x1b[32m${s}\x1b[0m` : s);
export const red = (s: string): string => (useColor() ? `\x1b[31m${s}\x1b[0m` : s);
export const yellow = (s: string): string => (useColor() ? `\x1b[33m${s}\x1b[0m` : s);

/** Writes one line to stdout. */
export function println(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Bytes as text when they are valid UTF-8, else base64 (for bodies in `weft call` results). */
function bytesToJson(b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return `base64:${Buffer.from(b).toString('base64')}`;
  }
}

/** Prints a value as pretty JSON (BigInt as text, bytes as UTF-8 text or base64). */
export function printJson(value: unknown): void {
  println(
    JSON.stringify(
      value,
      (_k, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Uint8Array) return bytesToJson(v);
        const b = v as { type?: string; data?: number[] } | null;
        if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data))
          return bytesToJson(Uint8Array.from(b.data));
        return v;
      },
      2,
    ),
  );
}

/** Renders rows as an aligned table with a header row. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [bold(line(headers)), ...rows.map(line)].join('\n');
}

/** Prints `value` as JSON, or runs `text` to print it for humans. */
export function emit(format: OutputFormat, value: unknown, text: () => void): void {
  if (format === 'json') printJson(value);
  else text();
}

/** Formats a label map as `k=v,k=v`. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
