/**
 * An `.npy` file (format 1.0, little-endian, C order) around raw array bytes: the magic, the
 * header dict padded with spaces so the data start at a multiple of 64 bytes, then the data.
 * `descr` is numpy's type string, e.g. `<f4` (float32) or `|u1` (uint8).
 */
export function npyBytes(descr: string, shape: readonly number[], data: ArrayBufferView): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64);
  header += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}
