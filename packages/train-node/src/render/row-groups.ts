/**
 * Cells of a picture that shows several versions of each example stacked: for grid row r and
 * version g, grid row r * versions + g holds version g of examples r * cols .. r * cols + cols - 1
 * (e.g. `vae denoise`'s clean / noisy / denoised, each example's versions in one column). A short
 * last row is padded with `gap`-grey cells so each version stays under the one before it.
 * @param versions - one n x size array per version, example-major
 * @returns the cells for {@link pngGrid}: ceil(n / cols) * versions.length * cols images
 */
export function stackedRows(
  versions: readonly Float32Array[],
  n: number,
  cols: number,
  size: number,
  gap = 0.5,
): { cells: Float32Array; count: number } {
  const groups = Math.ceil(n / cols);
  const count = groups * versions.length * cols;
  const cells = new Float32Array(count * size).fill(gap);
  for (let i = 0; i < n; i++) {
    const [row, col] = [Math.floor(i / cols), i % cols];
    versions.forEach((v, g) => {
      cells.set(v.subarray(i * size, (i + 1) * size), ((row * versions.length + g) * cols + col) * size);
    });
  }
  return { cells, count };
}
