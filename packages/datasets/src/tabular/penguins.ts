/**
 * The Palmer penguins table (Gorman, Williams & Fraser 2014; CC0 1.0): 344 penguins of three
 * species with four measurements, island and sex; 2 records miss every measurement and 11 miss
 * sex. A small real table with categorical columns and missing values, for tests and examples.
 * Embedded in the package (14 kB), so it needs no file access.
 */
import { type CsvTable, parseCsv } from './csv';
import { PENGUINS_CSV } from './penguins-data';
import type { TabularSchema } from './schema';

/** The penguins schema (the label column `species` is left out; use `labelsFromColumn`). */
export const PENGUINS_SCHEMA: TabularSchema = Object.freeze({
  columns: Object.freeze([
    { name: 'island', kind: 'categorical', categories: ['Biscoe', 'Dream', 'Torgersen'] },
    { name: 'bill_length_mm', kind: 'continuous' },
    { name: 'bill_depth_mm', kind: 'continuous' },
    { name: 'flipper_length_mm', kind: 'continuous' },
    { name: 'body_mass_g', kind: 'continuous' },
    { name: 'sex', kind: 'binary', values: ['female', 'male'] },
  ]),
}) as TabularSchema;

/** Penguin species, in label order. */
export const PENGUINS_SPECIES: readonly string[] = Object.freeze(['Adelie', 'Chinstrap', 'Gentoo']);

/**
 * The penguins table (columns `species, island, bill_length_mm, bill_depth_mm,
 * flipper_length_mm, body_mass_g, sex`; `NA` cells are missing).
 *
 * @returns the parsed table
 */
export function penguins(): CsvTable {
  return parseCsv(PENGUINS_CSV, { source: 'penguins.csv' });
}
