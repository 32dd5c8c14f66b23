/** Error classes whose message is the whole story (bad flags, missing runs, NaN loss, ...). */
const KNOWN = new Set([
  'TrainConfigError',
  'RunError',
  'CheckpointError',
  'NonFiniteLossError',
  'ParityError',
  'BundleError',
  'DatasetError',
  'DatasetNotFoundError',
  'DatasetArgumentError',
  'CACError',
  'SafetensorsError',
  'CommandError',
  'UsageError',
  'FileAccessError',
  'SchemaError',
  'CsvFormatError',
  'InferError',
]);

/** `vae: <Name>: message` for known errors; the stack too for unexpected ones (a bug to report). */
export function formatCliError(e: unknown): string {
  if (e instanceof Error) {
    if (KNOWN.has(e.name) || KNOWN.has(e.constructor.name)) return `vae: ${e.name}: ${e.message}`;
    return `vae: unexpected error: ${e.stack ?? e.message}`;
  }
  return `vae: ${String(e)}`;
}
