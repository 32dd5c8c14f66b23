// Types of results.mjs for TypeScript drivers (bench/anomaly/tune.ts).

/** A Markdown table. */
export function markdownTable(head: string[], rows: string[][]): string;
