/**
 * What the page remembers in localStorage of the run the browser keeps (its id, recipe, geometry and
 * latest checkpoint), so a reloaded page can offer Resume. The checkpoint itself is in train-web's
 * store (OPFS, or IndexedDB).
 */
import type { RecipeFields } from './recipe-form';
import type { Geometry } from './sample-grid';

export interface StoredRun {
  runId: string;
  recipe: RecipeFields;
  /** The pictures' geometry (samples of an MLP come flat). */
  geometry?: Geometry;
  /** The latest checkpoint's step and the epochs it completed. */
  step: number;
  epoch: number;
  epochs: number;
  finished: boolean;
}

const NOTE = 'vae-train-here-run';

/** The note, or null when there is none (or no localStorage, e.g. a sandboxed frame). */
export function readNote(): StoredRun | null {
  try {
    return JSON.parse(localStorage.getItem(NOTE) ?? 'null') as StoredRun | null;
  } catch {
    return null;
  }
}

export function writeNote(run: StoredRun): void {
  try {
    localStorage.setItem(NOTE, JSON.stringify(run));
  } catch {
    // no localStorage: Resume after a reload is simply not offered
  }
}
